"""The code base passes its own linter and formatter (ruff, configured in pyproject.toml),
and keeps its functions short enough to read in one screen."""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

from conftest import ROOT

RUFF = Path(sys.executable).with_name("ruff")
#: Longest function body (lines, docstring left out) a reader is asked to follow in one go.
MAX_FUNCTION_LINES = 60
#: The argument parser is a flat list of declarations, not steps: it may be longer.
LONG_ALLOWED = {"build_parser"}
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


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return body[-1].end_lineno - body[0].lineno + 1 if body else 0


def function_lengths(source: str) -> list[tuple[str, int]]:
    """(name, body length) of every function and method in ``source``."""
    return [
        (node.name, _body_lines(node))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_function_lengths_are_counted_without_the_docstring():
    source = 'def f():\n    """Doc.\n\n    More.\n    """\n    a = 1\n    return a\n'
    assert function_lengths(source) == [("f", 2)]


def test_no_function_is_longer_than_a_screen():
    long = [
        f"{path.name}: {name} ({lines} lines)"
        for path in sorted((ROOT / "src" / "rhetoric").rglob("*.py"))
        for name, lines in function_lengths(path.read_text(encoding="utf-8"))
        if lines > MAX_FUNCTION_LINES and name not in LONG_ALLOWED
    ]
    assert not long, "split into named steps: " + ", ".join(long)
