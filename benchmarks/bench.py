"""Benchmark: rhetoric against bare scikit-learn on the presidential-speeches corpus.

Imports the corpus (1,009 speeches, about 4 million words) into a temporary
data directory (date from the file name, party US, kind speech), optionally
replicated SCALE times with distinct ids and texts, then times whole
processes, alternating, RUNS times:

- A: ``rhetoric themes --by document --format csv`` then
  ``rhetoric similarity --between contexts --format csv``, cold (token cache
  emptied first) and warm (cache filled);
- B: the baseline, a bare ``python -c`` that reads the same raw files and runs
  scikit-learn's ``TfidfVectorizer().fit_transform`` on them.

Prints medians, the ratios A/B (cold, warm) and the peak resident memory of
each process (``ru_maxrss`` of that child alone, from ``os.wait4``), and
writes them as JSON. Usage::

    python benchmarks/bench.py --scale 1 --scale 10 --runs 5 --out benchmarks/results.json
    python benchmarks/bench.py --limit 20 --runs 1      # a smoke run on 20 speeches
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
SPEECHES = ROOT.parent / "shared" / "corpora" / "presidential-speeches"
BIN = Path(sys.executable).parent
BASELINE = (
    "import sys, pathlib\n"
    "from sklearn.feature_extraction.text import TfidfVectorizer\n"
    "texts = [p.read_text(encoding='utf-8') for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt'))]\n"
    "X = TfidfVectorizer().fit_transform(texts)\n"
    "print(X.shape, file=sys.stderr)\n"
)


def import_corpus(
    target: Path, speeches: Path, *, scale: int = 1, limit: int | None = None
) -> int:
    """A data directory holding the speeches (``scale`` copies with distinct ids); returns the count."""
    from rhetoric import add_statements  # the same name before and after issue 29

    target.mkdir(parents=True)
    (target / "raw").mkdir()
    for name in ("parties.yml", "themes.yml", "boilerplate.yml"):
        shutil.copy(ROOT / "data" / name, target / name)
    (target / "corpus.csv").write_text("id,file,title,date,parties,kind,outlet,url,language,sha256\n",
                                       encoding="utf-8")  # fmt: skip
    files = sorted(speeches.glob("*.txt"))[:limit]
    staging = target.parent / f"{target.name}-staging"
    staging.mkdir()
    sources = []
    for copy in range(scale):
        for path in files:
            stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
            name = f"{stem}-r{copy}" if scale > 1 else stem
            # metadata as front matter, so that one `add` call imports everything; copies get a
            # distinct first line (the same text twice would be refused as a duplicate)
            header = (
                f"---\nid: {name}\ndate: {path.stem[:10]}\ntitle: {stem.replace('-', ' ')}\n---\n"
            )
            marker = f"[copy {copy}]\n" if scale > 1 else ""
            source = staging / f"{name}.txt"
            source.write_bytes(header.encode() + marker.encode() + path.read_bytes())
            sources.append(source)
    add_statements(sources, data_dir=target, parties="US", kind="speech")
    shutil.rmtree(staging)
    return len(sources)


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one process.

    Pending writes are flushed first (``os.sync``, not timed), so that a
    command is not charged for the disk writing out what the one before it
    wrote (a cold run leaves some 250 MB of cache behind it).
    """
    os.sync()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{stderr}"
        )
    return elapsed, usage.ru_maxrss / 1024


def run_scale(data: Path, runs: int) -> dict:
    cache = data.parent / "cache"
    env = {**os.environ, "RHETORIC_CACHE": str(cache)}
    rhetoric = str(BIN / "rhetoric")
    a_commands = [
        # --reprints keep: the 10x copies are reprints by construction; keep measuring them all
        [
            rhetoric,
            "themes",
            "--data",
            str(data),
            "--by",
            "document",
            "--format",
            "csv",
            "--reprints",
            "keep",
        ],
        [
            rhetoric,
            "similarity",
            "--between",
            "contexts",
            "--data",
            str(data),
            "--format",
            "csv",
            "--reprints",
            "keep",
        ],
    ]
    b_command = [sys.executable, "-c", BASELINE, str(data / "raw")]
    results: dict[str, list] = {
        "A_cold": [],
        "A_warm": [],
        "B": [],
        "A_cold_mb": [],
        "A_warm_mb": [],
        "B_mb": [],
    }
    for _ in range(runs):
        seconds, mb = measure(b_command, env)
        results["B"].append(seconds)
        results["B_mb"].append(mb)
        shutil.rmtree(cache, ignore_errors=True)
        cold = [measure(c, env) for c in a_commands]
        results["A_cold"].append(sum(s for s, _ in cold))
        results["A_cold_mb"].append(max(m for _, m in cold))
        warm = [measure(c, env) for c in a_commands]
        results["A_warm"].append(sum(s for s, _ in warm))
        results["A_warm_mb"].append(max(m for _, m in warm))
    summary = {key: statistics.median(values) for key, values in results.items()}
    summary["ratio_cold"] = summary["A_cold"] / summary["B"]
    summary["ratio_warm"] = summary["A_warm"] / summary["B"]
    summary["runs"] = results
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeches", type=Path, default=SPEECHES)
    parser.add_argument(
        "--scale", type=int, action="append", help="copies of the corpus (repeatable)"
    )
    parser.add_argument("--limit", type=int, help="use only the first N speeches (smoke runs)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    if not args.speeches.is_dir():
        print(f"{args.speeches}: speeches corpus not found (fix: --speeches DIR)", file=sys.stderr)
        return 2
    scales = args.scale or [1]
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "runs": args.runs,
        "limit": args.limit,
        "scales": {},
    }
    print(f"{'scale':>5} {'docs':>6} {'tokens':>10} {'B s':>7} {'A cold s':>9} {'A warm s':>9} "
          f"{'cold/B':>7} {'warm/B':>7} {'B MB':>7} {'cold MB':>8} {'warm MB':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="rhetoric-bench-") as tmp:
        for scale in scales:
            data = Path(tmp) / f"data-x{scale}"
            started = time.perf_counter()
            count = import_corpus(data, args.speeches, scale=scale, limit=args.limit)
            imported = time.perf_counter() - started
            summary = run_scale(data, args.runs)
            from rhetoric.pipeline import process_corpus

            tokens = len(process_corpus(data, workers=1).tokens) if scale == scales[0] else None
            summary.update(documents=count, import_seconds=imported, tokens=tokens)
            report["scales"][str(scale)] = summary
            print(f"{scale:>5} {count:>6} {tokens or '':>10} {summary['B']:>7.2f} {summary['A_cold']:>9.2f} "
                  f"{summary['A_warm']:>9.2f} {summary['ratio_cold']:>7.2f} {summary['ratio_warm']:>7.2f} "
                  f"{summary['B_mb']:>7.0f} {summary['A_cold_mb']:>8.0f} {summary['A_warm_mb']:>8.0f}",
                  flush=True)  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
