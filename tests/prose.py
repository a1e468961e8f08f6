"""What executed notebooks say about their corpus, checked against the corpus (issue 19).

Collects the prose of executed notebooks (Markdown cells, Markdown and printed outputs) and
lists every statement in it of a document count, a dyad, a year or a kind of text that the
corpus does not have.
"""

from __future__ import annotations

from pathlib import Path
import re

import nbformat

from rhetoric.measures import reuse

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
#: Numbers of documents the notebooks name as rules, true of any corpus: at least two
#: documents for keyness, five per group for a test, twelve for timeline intervals.
RULES = {1, 2, 5, 12, 25}  # ... and 25 documents a bar chart draws (plots.MAX_BAR_ROWS)
# a number that ends a date ("2020-04-25 statement", a document's label; in Markdown
# "2020\-04\-25") is not a count
COUNT = re.compile(r"(?<!\d-)(?<!\\-)\b(\d[\d,]*|" + "|".join(NUMBER_WORDS) + r") (?:([A-Z]\w+(?:–[A-Z]\w+)+) )?"
                   r"(documents?|statements?|texts?|articles?)\b", re.IGNORECASE)  # fmt: skip
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
ONLY_NEWS = ("News reports, not statements", "The texts are news reports", "The bundled texts")


def prose(path: Path, *, printed: bool = True) -> tuple[str, str]:
    """(static Markdown sources, generated Markdown and, if ``printed``, printed outputs) of
    one notebook."""
    nb = nbformat.read(path, as_version=4)
    static = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    shown = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            shown.append(str(output.get("data", {}).get("text/markdown", "")))
            shown.append(output.get("text", "") if printed else "")
    return static, "\n".join(shown)


def problems(paths, processed, labels: dict[str, str], *, bundled: bool) -> list[str]:
    """Every claim in the notebooks' prose that the corpus does not bear out."""
    corpus = processed.documents
    counts = {len(corpus)} | RULES
    for column in ("dyad", "kind"):
        counts |= set(corpus[column].astype(str).value_counts())
    # what the reuse section counts: statements and articles that can be paired, and found
    pairs = reuse.statement_pairs(processed)
    passages = reuse.find_reuse(processed)
    counts |= {len({s for _a, s in pairs}), len({a for a, _s in pairs})}
    counts |= {passages["article"].nunique(), passages["statement"].nunique()}
    if len(processed.reprints):  # documents that reprint another, counted once
        counts.add(processed.reprints["b"].nunique())
    dyad_count = {labels.get(d, d): n for d, n in corpus["dyad"].value_counts().items()}
    known_labels = set(labels.values())
    years = set(corpus["date"].astype(str).str.slice(0, 4))
    found = []
    for path in paths:
        static, shown = prose(path)
        for where, text in (("markdown", static), ("output", shown)):
            for match in COUNT.finditer(text):
                number = match.group(1).lower().replace(",", "")
                n = NUMBER_WORDS.get(number) or int(number)
                label = match.group(2)
                if label and dyad_count.get(label) != n:
                    found.append(f"{path.name} {where}: {match.group(0)!r} ({label}: "
                                 f"{dyad_count.get(label, 0)})")  # fmt: skip
                elif not label and n not in counts:
                    found.append(f"{path.name} {where}: {match.group(0)!r} (no such count)")
            for label in known_labels - set(dyad_count):
                if label in text:
                    found.append(f"{path.name} {where}: names {label}, not in the corpus")
            if not (corpus["kind"] == "news_article").all():
                found += [f"{path.name} {where}: {p!r}" for p in ONLY_NEWS if p in text]
            if not bundled and "bundled" in text:
                found.append(f"{path.name} {where}: speaks of the bundled corpus")
        # years the study's own sentences name (printed lines quote the texts, dates and all)
        for year in set(YEAR.findall(prose(path, printed=False)[1])) - years:
            found.append(f"{path.name} output: the year {year}, which no document has")
    return found


def output_lines(path: Path) -> dict[int, int]:
    """Lines a reader scrolls past in each code cell's output (by cell number): printed
    lines, Markdown lines and table rows (figures not counted)."""
    nb = nbformat.read(path, as_version=4)
    found = {}
    for number, cell in enumerate(nb.cells):
        n = 0
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            n += output.get("text", "").count("\n")
            if "text/html" in data:
                n += str(data["text/html"]).count("<tr")
            elif "text/markdown" in data:
                n += str(data["text/markdown"]).count("\n") + 1
            elif "text/plain" in data and "image/png" not in data:
                n += str(data["text/plain"]).count("\n") + 1
        found[number] = n
    return found
