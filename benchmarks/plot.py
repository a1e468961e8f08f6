"""Plot benchmark results (time and peak memory against corpus size) from bench.py's JSON files.

python benchmarks/plot.py benchmarks/results-*.json --out benchmarks/scaling.png
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from rhetoric.study.plots import OKABE_ITO, use_style


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/scaling.png"))
    args = parser.parse_args()
    points = []
    for path in args.results:
        report = json.loads(path.read_text(encoding="utf-8"))
        points.extend(report.get("scales", {}).values())  # results-analysis.json has none
    points = sorted((p for p in points if p.get("tokens")), key=lambda p: p["tokens"])
    use_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 2.8))
    words = [p["tokens"] / 1e6 for p in points]
    series = [
        ("A cold", "A_cold", OKABE_ITO[1]),
        ("A warm", "A_warm", OKABE_ITO[0]),
        ("B sklearn", "B", OKABE_ITO[2]),
    ]
    for label, key, color in series:
        left.plot(words, [p[key] for p in points], "o-", color=color, label=label)
        right.plot(words, [p[f"{key}_mb"] for p in points], "o-", color=color, label=label)
    left.set(xlabel="corpus size (million word tokens)", ylabel="wall time, median (s)")
    right.set(xlabel="corpus size (million word tokens)", ylabel="peak resident memory (MB)")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.grid(True, which="both")
    left.legend()
    fig.savefig(args.out, dpi=150, metadata={"Software": None})
    print(args.out)


if __name__ == "__main__":
    main()
