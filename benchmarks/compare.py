"""Speed guard of issue 17: `rhetoric compare` against a warm `rhetoric themes --by document`.

The 1,009 speeches are imported (as bench.py does) and split into two groups by a
corpus.csv column ``era`` (``before-1900`` / ``from-1900``; 384 and 625 speeches). With the
processed tables cached, the script alternates:

- **themes**: ``rhetoric themes --by document --format csv``, warm (its result memoised too,
  as a second call finds it);
- **compare**: ``rhetoric compare --by era --a before-1900 --b from-1900 --format csv`` with its
  own memo removed first, so that every run computes the permutation test (9,999
  relabellings of 1,009 documents) and the GLM intervals.

Usage::

    .venv/bin/python benchmarks/compare.py --runs 5 --out benchmarks/results-compare.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench


def add_era(data: Path) -> dict[str, int]:
    """Add the ``era`` column to corpus.csv (a benchmark copy, not the project's data)."""
    path = data / "corpus.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["era"] = "before-1900" if int(row["date"][:4]) < 1900 else "from-1900"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return {era: sum(r["era"] == era for r in rows) for era in ("before-1900", "from-1900")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeches", type=Path, default=bench.SPEECHES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rhetoric = str(bench.BIN / "rhetoric")
    with tempfile.TemporaryDirectory() as scratch:
        data, cache = Path(scratch) / "speeches", Path(scratch) / "cache"
        bench.import_corpus(data, args.speeches)
        sizes = add_era(data)
        env = {**os.environ, "RHETORIC_CACHE": str(cache)}
        themes = [rhetoric, "themes", "--data", str(data), "--by", "document", "--format", "csv"]
        compare = [rhetoric, "compare", "--data", str(data), "--by", "era", "--a", "before-1900",
                   "--b", "from-1900", "--format", "csv"]  # fmt: skip
        bench.measure(themes, env)  # cold: tables and rates into the cache
        results: dict[str, list[float]] = {"themes": [], "compare": [], "themes_mb": [],
                                           "compare_mb": []}  # fmt: skip
        for _ in range(args.runs):
            seconds, mb = bench.measure(themes, env)
            results["themes"].append(seconds)
            results["themes_mb"].append(mb)
            shutil.rmtree(cache / "compare", ignore_errors=True)
            seconds, mb = bench.measure(compare, env)
            results["compare"].append(seconds)
            results["compare_mb"].append(mb)
    summary = {key: round(statistics.median(values), 3) for key, values in results.items()}
    summary["ratio"] = round(summary["compare"] / summary["themes"], 3)
    report = {"groups": sizes, "runs": args.runs, "median": summary, "all": results}
    print(json.dumps(report["median"], indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
