"""Guard of issue 18: reprint detection on the 10× speeches corpus (its copies are reprints).

`bench.import_corpus(scale=10)` writes every speech ten times with distinct ids and a distinct
first line (``[copy N]``), so each speech forms a cluster of ten near-identical documents. The
script times ``rhetoric duplicates --format csv`` (loading the corpus, the boilerplate.yml rules,
shingling, sketches, LSH and the exact Jaccard checks) as a whole process, and counts what it
found: every copy should sit in its speech's cluster.

Usage::

    .venv/bin/python benchmarks/reprints.py --runs 3 --out benchmarks/results-reprints-issue18.json
"""

from __future__ import annotations

import argparse
from collections import Counter
import csv
import io
import json
import os
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeches", type=Path, default=bench.SPEECHES)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    command = [str(bench.BIN / "rhetoric"), "duplicates", "--format", "csv"]
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "speeches"
        documents = bench.import_corpus(data, args.speeches, scale=args.scale)
        env = {**os.environ, "RHETORIC_CACHE": str(Path(scratch) / "cache")}
        seconds, output = [], ""
        for _ in range(args.runs):
            os.sync()
            start = time.perf_counter()
            done = subprocess.run([*command, "--data", str(data)], capture_output=True, text=True,
                                  env=env, check=True)  # fmt: skip
            seconds.append(time.perf_counter() - start)
            output = done.stdout
    pairs = list(csv.DictReader(io.StringIO(output)))
    clusters: dict[str, set[str]] = {}
    for row in pairs:
        clusters.setdefault(row["canonical"], {row["canonical"]}).update((row["a"], row["b"]))
    sizes = Counter(len(members) for members in clusters.values())
    # a cluster is right when it holds exactly the copies of one speech (ids end in -rN)
    right = sum(
        len(members) == args.scale and len({m.rsplit("-r", 1)[0] for m in members}) == 1
        for members in clusters.values()
    )
    report = {
        "documents": documents,
        "runs": args.runs,
        "seconds": [round(s, 2) for s in seconds],
        "median_seconds": round(statistics.median(seconds), 2),
        "pairs": len(pairs),
        "clusters": len(clusters),
        "cluster_sizes": {str(k): v for k, v in sorted(sizes.items())},
        "clusters_exactly_one_speech_copies": right,
        "documents_in_clusters": sum(len(m) for m in clusters.values()),
        "lowest_jaccard": min((float(r["jaccard"]) for r in pairs), default=None),
    }
    print(json.dumps(report, indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
