"""The code base passes its own linter and formatter (ruff, configured in pyproject.toml)."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

from conftest import ROOT

RUFF = Path(sys.executable).with_name("ruff")
FOLDERS = [str(p) for p in (ROOT / "src", ROOT / "tests", ROOT / "benchmarks") if p.is_dir()]


def test_ruff_lint():
    result = subprocess.run(
        [str(RUFF), "check", *FOLDERS], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = subprocess.run(
        [str(RUFF), "format", "--check", *FOLDERS], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
