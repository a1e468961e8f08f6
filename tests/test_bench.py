"""The benchmark script runs and produces its table (a smoke run on 20 speeches; timings are not tested)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

SPEECHES = ROOT.parent / "shared" / "corpora" / "presidential-speeches"


@pytest.mark.slow
@pytest.mark.skipif(
    not SPEECHES.is_dir(), reason="the shared speeches corpus is not beside this checkout"
)
def test_benchmark_smoke_run(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--limit", "20", "--runs", "1", "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.strip().splitlines()[:2]
    assert header.split()[:4] == ["scale", "docs", "tokens", "B"]
    assert row.split()[:2] == ["1", "20"]
    report = json.loads(out.read_text(encoding="utf-8"))
    summary = report["scales"]["1"]
    assert summary["documents"] == 20 and summary["tokens"] > 10_000
    for key in (
        "A_cold",
        "A_warm",
        "B",
        "ratio_cold",
        "ratio_warm",
        "A_cold_mb",
        "A_warm_mb",
        "B_mb",
    ):
        assert summary[key] > 0


@pytest.mark.slow
@pytest.mark.skipif(
    not SPEECHES.is_dir(), reason="the shared speeches corpus is not beside this checkout"
)
def test_tokenizer_benchmark_smoke_run(tmp_path):
    """benchmarks/tokenizers.py on 10 speeches: both splitters, both stemmers, and a cold
    `rhetoric themes` with the code before issue 33 (a git worktree) and now."""
    out = tmp_path / "tokenizers.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "tokenizers.py"), "--limit", "10", "--runs", "1",
         "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["speeches"] == 10
    assert report["sentences"]["icu"]["sample_errors"] == 0
    assert report["sentences"]["punkt"]["sample_errors"] == 3
    assert report["stems"]["types"] > 1000
    if isinstance(report["cold_themes"], dict):  # a shallow clone has no commit to compare
        assert set(report["cold_themes"]["median"]) == {"before", "now", "now_three_languages"}
