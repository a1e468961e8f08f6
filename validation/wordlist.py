"""Make ``src/rhetoric/text/words.txt``, the English word list of the glued-word check.

No dependency ships an English word list that works offline (NLTK's needs a download), so
the package carries its own: every word (lowercase ASCII letters) found at least five times
in the 1,009 presidential speeches (public domain), leaving out the 20 speeches whose
words are run together in places (:func:`rhetoric.text.quality.glued_words` names them),
so that no glued form ("ofthe") enters the list. One word per line, sorted.

Usage::

    .venv/bin/python validation/wordlist.py ../shared/corpora/presidential-speeches
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
import re

from rhetoric.text.quality import WORDS_FILE, glued_words

MIN_COUNT = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("speeches", type=Path)
    args = parser.parse_args(argv)
    files = sorted(args.speeches.glob("*.txt"))
    texts = {f.stem: f.read_text(encoding="utf-8", errors="replace") for f in files}
    damaged = set(glued_words(texts, words=frozenset()))
    counts = Counter(w for doc, text in texts.items() if doc not in damaged
                     for w in re.findall(r"[a-z]+", text.lower()))  # fmt: skip
    words = sorted(w for w, n in counts.items() if n >= MIN_COUNT and (len(w) >= 2 or w in "ai"))
    WORDS_FILE.write_text("\n".join(words) + "\n", encoding="ascii")
    print(f"{len(words):,} words from {len(texts) - len(damaged):,} speeches "
          f"({len(damaged)} left out) written to {WORDS_FILE}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
