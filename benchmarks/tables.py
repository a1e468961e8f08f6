"""Every command-line table, written to files, and compared with an earlier run of itself.

A move inside the package must not change a result. This script runs each table
command of ``rhetoric`` on the bundled corpus and on the 1,009 presidential speeches
(imported as ``bench.py`` does, with an ``era`` column as ``compare.py`` adds), writes
every output (standard output, and the files of ``dfm``, ``export`` and ``lexicon
export``) under ``--out``, and with ``--against`` reports every file that differs from
an earlier run's. Parquet files are compared as tables (pyarrow's writer version is in
their bytes), everything else byte for byte.

Usage::

    /old/.venv/bin/python benchmarks/tables.py --out /tmp/tables-before  # the old code's venv
    .venv/bin/python benchmarks/tables.py --out /tmp/tables-after --against /tmp/tables-before
    .venv/bin/python benchmarks/tables.py --limit 100 --out /tmp/quick  # a smaller speeches set
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench
import compare

#: Table commands run on both corpora (``{doc}`` is a document id of the corpus).
COMMON = {
    "corpus": ["corpus"],
    "corpus-keep": ["corpus", "--reprints", "keep"],
    "duplicates": ["duplicates"],
    "clean": ["clean", "{doc}"],
    "clean-removed": ["clean", "{doc}", "--removed"],
    "themes-document": ["themes", "--by", "document"],
    "themes-year": ["themes", "--by", "year"],
    "themes-voice": ["themes", "--by", "document", "--voice"],
    "themes-raw": ["themes", "--by", "document", "--reprints", "keep"],
    "terms": ["terms", "--top", "40"],
    "terms-ngrams": ["terms", "--top", "40", "--ngrams", "1-3"],
    "terms-keep": ["terms", "--top", "40", "--stopwords", "keep"],
    "terms-stem": ["terms", "--top", "40", "--unit", "stem", "--ngrams", "1-2"],
    "similarity-documents": ["similarity", "--between", "documents"],
    "similarity-themes": ["similarity", "--between", "themes"],
    "similarity-contexts": ["similarity", "--between", "contexts"],
    "similarity-contexts-stem": ["similarity", "--between", "contexts", "--unit", "stem"],
    "similarity-documents-stem-drop": [
        "similarity",
        "--between",
        "documents",
        "--unit",
        "stem",
        "--stopwords",
        "drop",
    ],
    "similarity-themes-drop": ["similarity", "--between", "themes", "--stopwords", "drop"],
    "similarity-year": ["similarity", "--between", "documents", "--by", "year"],
    "collocates-keep": ["collocates", "trust", "--stopwords", "keep"],
    "kwic-trust": ["kwic", "trust"],
    "kwic-theme": ["kwic", "--theme", "trust", "--sort", "L1"],
    "collocates": ["collocates", "trust", "--window", "5"],
    "lexicon": ["lexicon"],
    "lexicon-unmatched": ["lexicon", "--unmatched"],
    "dispersion": ["dispersion"],
}
#: Only on the bundled corpus (two dyads).
BUNDLED = {
    "themes-dyad": ["themes", "--by", "dyad"],
    "terms-dyad": ["terms", "--by", "dyad", "--top", "30"],
    "keyness": ["keyness", "--target", "RU-US"],
    "keyness-bigrams": ["keyness", "--target", "RU-US", "--ngrams", "2", "--sort", "g2"],
    "keyness-stem": ["keyness", "--target", "RU-US", "--unit", "stem", "--ngrams", "1-2"],
    "similarity-contexts-dyad-stem": [
        "similarity",
        "--between",
        "contexts",
        "--by",
        "dyad",
        "--unit",
        "stem",
        "--stopwords",
        "drop",
    ],
    "compare": ["compare", "--a", "RU-US", "--b", "CN-RU"],
    "reuse": ["reuse"],
    "collocates-dyad": ["collocates", "partnership", "--by", "dyad"],
}
#: Only on the speeches (two eras of 384 and 625 speeches).
SPEECHES = {
    "themes-era": ["themes", "--by", "era"],
    "compare-era": ["compare", "--by", "era", "--a", "before-1900", "--b", "from-1900"],
    "keyness-era": ["keyness", "--by", "era", "--target", "from-1900"],
    "where": ["themes", "--by", "year", "--where", "era=before-1900"],
    "similarity-era": ["similarity", "--between", "contexts", "--by", "era", "--unit", "stem"],
    "terms-era": ["terms", "--by", "era", "--top", "30", "--ngrams", "2", "--stopwords", "keep"],
}
#: Commands that write a folder or a file (``{out}``) instead of a table.
WRITERS = {
    "dfm": ["dfm", "--out", "{out}"],
    "dfm-stem-drop": [
        "dfm",
        "--out",
        "{out}",
        "--unit",
        "stem",
        "--ngrams",
        "1-2",
        "--stopwords",
        "drop",
    ],
    "export": ["export", "--out", "{out}"],
    "lexicon-export": ["lexicon", "export", "--out", "{out}/themes.yml"],
}


def first_document(data: Path) -> str:
    with (data / "corpus.csv").open(encoding="utf-8") as handle:
        next(handle)
        return next(handle).split(",", 1)[0]


def _placeholders(output: bytes, data: Path, out: Path) -> bytes:
    """``output`` with this run's folders named as ``{data}`` and ``{out}`` (they differ
    between runs and say nothing about the results)."""
    return output.replace(str(out).encode(), b"{out}").replace(str(data).encode(), b"{data}")


def run_tables(data: Path, out: Path, commands: dict, env: dict) -> list[str]:
    """Run each command, writing its output under ``out``; returns the failures."""
    rhetoric = str(bench.BIN / "rhetoric")
    doc = first_document(data)
    failed = []
    out.mkdir(parents=True, exist_ok=True)
    for name, args in commands.items():
        args = [a.replace("{doc}", doc) for a in args]
        if name in WRITERS:
            target = out / name
            target.mkdir()
            args = [a.replace("{out}", str(target / "files")) for a in args]
            if name == "lexicon-export":
                (target / "files").mkdir()
            command = [rhetoric, *args, "--data", str(data)]
        else:
            command = [rhetoric, *args, "--data", str(data), "--format", "csv"]
        result = subprocess.run(command, env=env, capture_output=True, check=False)
        (out / f"{name}.out").write_bytes(_placeholders(result.stdout, data, out))
        status = f"{result.returncode}\n".encode() + _placeholders(result.stderr, data, out)
        (out / f"{name}.status").write_bytes(status)
        if name in WRITERS:
            for path in (out / name).rglob("*"):
                if path.suffix in (".yml", ".csv", ".mtx"):
                    path.write_bytes(_placeholders(path.read_bytes(), data, out))
        if result.returncode != 0:
            failed.append(f"{name}: exit {result.returncode}: {result.stderr.decode().strip()}")
    return failed


def differences(new: Path, old: Path) -> list[str]:
    """Files that differ between two runs (Parquet compared as tables)."""
    found = []
    names = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    names |= {p.relative_to(old) for p in old.rglob("*") if p.is_file()}
    for name in sorted(names):
        a, b = new / name, old / name
        if not a.exists() or not b.exists():
            found.append(f"{name}: only in {'the old run' if a.exists() is False else 'this run'}")
        elif name.suffix == ".parquet":
            import pyarrow.parquet as pq

            if not pq.read_table(a).equals(pq.read_table(b)):
                found.append(f"{name}: the tables differ")
        elif a.read_bytes() != b.read_bytes():
            found.append(f"{name}: differs")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a new folder for the outputs")
    parser.add_argument("--against", type=Path, help="an earlier run's --out to compare with")
    parser.add_argument("--speeches", type=Path, default=bench.SPEECHES)
    parser.add_argument("--limit", type=int, help="only the first N speeches")
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out}: exists; give a new folder (fix: --out NEW)", file=sys.stderr)
        return 2
    failed = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "RHETORIC_CACHE": str(Path(scratch) / "cache")}
        bundled = Path(scratch) / "bundled"
        shutil.copytree(bench.ROOT / "data", bundled)
        failed += run_tables(bundled, args.out / "bundled", {**COMMON, **BUNDLED, **WRITERS}, env)
        speeches = Path(scratch) / "speeches"
        bench.import_corpus(speeches, args.speeches, limit=args.limit)
        compare.add_era(speeches)
        failed += run_tables(speeches, args.out / "speeches", {**COMMON, **SPEECHES, **WRITERS},
                             env)  # fmt: skip
    for line in failed:
        print(f"failed: {line}", file=sys.stderr)
    if args.against is None:
        print(f"{args.out}: {sum(1 for _ in args.out.rglob('*.out'))} outputs written")
        return 1 if failed else 0
    found = differences(args.out, args.against)
    for line in found:
        print(line)
    print(f"{len(found)} files differ from {args.against}")
    return 1 if found or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
