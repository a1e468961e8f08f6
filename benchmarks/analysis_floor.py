"""`make analysis` against its floor: as many kernel starts as notebooks, each only importing the stack.

    python benchmarks/analysis_floor.py --runs 3 --out benchmarks/results-analysis.json

Both sides go through the same runner (``rhetoric.study.run.run_study``, into
a temporary folder), so the difference is the study's own work: processing
the corpus, measures, drawing and saving the figures.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import statistics
import sys
import tempfile
import time

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from rhetoric.study.run import run_study, study_notebooks

STACK = (
    "import numpy, pandas, scipy.sparse, scipy.special, matplotlib.pyplot, sklearn.feature_extraction.text, nltk\n"
    "import rhetoric.study.context, rhetoric.study.plots, rhetoric.measures.rates, rhetoric.measures.similarity, rhetoric.measures.concordance"
)


def floor_notebooks(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(1, count + 1):
        nb = new_notebook(cells=[new_markdown_cell(f"# {i:02d} · Floor"), new_code_cell(STACK)])
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        for j, cell in enumerate(nb.cells):
            cell.id = f"c{j}"
        path = folder / f"{i:02d}_floor.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    study, floor = [], []
    with tempfile.TemporaryDirectory() as tmp:
        notebooks = floor_notebooks(Path(tmp), len(study_notebooks()))
        for run in range(args.runs):
            for name, target, kwargs in (
                ("floor", floor, {"notebooks": notebooks}),
                ("study", study, {}),
            ):
                start = time.perf_counter()
                run_study(out_dir=Path(tmp) / f"out-{name}-{run}", progress=False, **kwargs)
                target.append(time.perf_counter() - start)
    result = {
        "notebooks": len(study_notebooks()),
        "study_seconds": study,
        "floor_seconds": floor,
        "study_median": statistics.median(study),
        "floor_median": statistics.median(floor),
    }
    result["ratio"] = result["study_median"] / result["floor_median"]
    print(
        f"study {result['study_median']:.1f} s, floor {result['floor_median']:.1f} s, ratio {result['ratio']:.2f}"
    )
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
