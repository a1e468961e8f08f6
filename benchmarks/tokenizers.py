"""Benchmark: the tokenizer of issue 33 against the one before it, on the presidential speeches.

Measures, on the 1,009 speeches (about 4 million words) and the hand-checked English sample
(``tests/languages/sentences-en.txt``):

- **sentences**: NLTK's Punkt with rhetoric's abbreviations, per paragraph (the splitter
  before issue 33) and ICU's sentence break iterator with rhetoric's corrections
  (``rhetoric.text.tokens.sentence_spans``): seconds over every speech, sentences found,
  boundaries both put, and errors on the sample;
- **stems**: NLTK's Snowball English (before) and the Snowball project's C library
  (``Stemmer``, now): seconds over the speeches' word types, and how many types differ;
- **cold ``rhetoric themes``** (``--by document --format csv``, the cache folder emptied
  first): the code at ``--before`` (a git worktree, run with this environment) and the
  code here, alternating, ``--runs`` times each; medians.

Usage::

    .venv/bin/python benchmarks/tokenizers.py --runs 3 --out benchmarks/results-tokenizers-issue33.json
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench import SPEECHES, import_corpus


def _punkt(texts: list[str]) -> list[list[tuple[int, int]]]:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from rhetoric.text.tokens import ABBREVIATIONS, paragraph_spans

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    punkt = PunktSentenceTokenizer(params)
    return [[(p + s, p + e) for p, end in paragraph_spans(text)
             for s, e in punkt.span_tokenize(text[p:end])] for text in texts]  # fmt: skip


def _icu(texts: list[str]) -> list[list[tuple[int, int]]]:
    from rhetoric.text.tokens import sentence_spans

    return [sentence_spans(text) for text in texts]


def sentences(texts: list[str]) -> dict:
    """Seconds, sentences and shared boundaries of both splitters, and their sample errors."""
    from test_languages import _boundary_errors, _sample

    result = {}
    found = {}
    for name, split in (("punkt", _punkt), ("icu", _icu)):
        split(texts[:5])  # imports and first calls out of the timing
        start = time.perf_counter()
        found[name] = split(texts)
        result[name] = {"seconds": round(time.perf_counter() - start, 2),
                        "sentences": sum(map(len, found[name]))}  # fmt: skip
    sample = _sample("sentences-en.txt")
    result["punkt"]["sample_errors"] = _boundary_errors(lambda t: _punkt([t])[0], sample)
    result["icu"]["sample_errors"] = _boundary_errors(lambda t: _icu([t])[0], sample)
    result["sample_boundaries"] = sum(len(p) - 1 for p in sample)
    both = sum(len({s for s, _e in a} & {s for s, _e in b})
               for a, b in zip(found["punkt"], found["icu"], strict=True))  # fmt: skip
    result["starts_in_both"] = both
    return result


def stems(texts: list[str]) -> dict:
    """Seconds of each stemmer over the word types, and the types they stem differently."""
    from nltk.stem.snowball import SnowballStemmer
    import Stemmer

    from rhetoric.text.tokens import WordTokenizer

    tokenize = WordTokenizer().tokenize
    types = sorted({w.lower().replace("’", "'") for text in texts for w in tokenize(text)
                    if any(c.isalpha() for c in w)})  # fmt: skip
    start = time.perf_counter()
    before = [SnowballStemmer("english").stem(w) for w in types]
    nltk_seconds = time.perf_counter() - start
    start = time.perf_counter()
    now = Stemmer.Stemmer("english").stemWords(types)
    c_seconds = time.perf_counter() - start
    differ = [(w, a, b) for w, a, b in zip(types, before, now, strict=True) if a != b]
    return {"types": len(types), "nltk_seconds": round(nltk_seconds, 2),
            "pystemmer_seconds": round(c_seconds, 3), "differ": len(differ),
            "examples": [f"{w}: {a} -> {b}" for w, a, b in differ[:8]]}  # fmt: skip


def cold_themes(data: Path, before: Path, runs: int) -> dict:
    """Medians of cold ``rhetoric themes`` runs with the code at ``before`` and here, both with
    the themes.yml of ``before`` (English terms only: the code before reads no other), and
    here with the bundled themes.yml (terms in three languages) too."""
    command = [sys.executable, "-m", "rhetoric", "themes", "--data", str(data), "--by",
               "document", "--format", "csv"]  # fmt: skip
    english, every = before / "data" / "themes.yml", ROOT / "data" / "themes.yml"
    times: dict[str, list[float]] = {"before": [], "now": [], "now_three_languages": []}
    for _ in range(runs):
        for name, source, themes in (("before", before / "src", english),
                                     ("now", ROOT / "src", english),
                                     ("now_three_languages", ROOT / "src", every)):  # fmt: skip
            (data / "themes.yml").write_bytes(themes.read_bytes())
            with tempfile.TemporaryDirectory() as cache:
                env = {**os.environ, "RHETORIC_CACHE": cache, "PYTHONPATH": str(source)}
                os.sync()
                start = time.perf_counter()
                subprocess.run(command, env=env, check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
    medians = {name: round(statistics.median(values), 2) for name, values in times.items()}
    return {"runs": runs, "seconds": {k: [round(v, 2) for v in vs] for k, vs in times.items()},
            "median": medians, "speedup": round(medians["before"] / medians["now"], 2)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeches", type=Path, default=SPEECHES)
    parser.add_argument("--before", default="2a9348b", help="commit before issue 33")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, help="only the first N speeches (smoke runs)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    files = sorted(args.speeches.glob("*.txt"))[: args.limit]
    texts = [p.read_text(encoding="utf-8") for p in files]
    results = {"speeches": len(texts), "sentences": sentences(texts), "stems": stems(texts)}
    known = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{args.before}^{{commit}}"],
                           capture_output=True, check=False)  # fmt: skip
    if known.returncode != 0:  # a shallow clone: nothing to compare with
        results["cold_themes"] = f"commit {args.before} is not in this clone"
    else:
        results["cold_themes"] = _before_and_now(args)
    results["before"] = args.before
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


def _before_and_now(args: argparse.Namespace) -> dict:
    """:func:`cold_themes` on the speeches, with the code at ``args.before`` in a worktree."""
    with tempfile.TemporaryDirectory() as tmp:
        worktree = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree),
                        args.before], check=True, capture_output=True)  # fmt: skip
        try:
            import_corpus(Path(tmp) / "data", args.speeches, limit=args.limit)
            return cold_themes(Path(tmp) / "data", worktree, args.runs)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(worktree)], check=True, capture_output=True)  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
