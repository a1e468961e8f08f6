""":mod:`rhetoric.text.quality`: texts that are damaged in ways that pass every check.

A text can be valid UTF-8, listed and hashed, and still be read wrongly:

- **glued words**: a copy that lost its spaces (``theunited``, ``anuclear``,
  ``andthethreat``) loses its theme hits and its reuse silently. A word is taken
  for glued when it is rare in the corpus (at most twice), is no stopword, and
  splits into two or three parts that are each a stopword or a word found at least
  three times in the corpus or in the package's English word list
  (:data:`WORDS_FILE`; parts of two letters or more, or "a"), one of them a
  stopword, and is not itself in that list; a document is named when at least :data:`MIN_GLUED` of its words, and
  0.5% of them, are such (on the 1,009 presidential speeches: 20 documents, with 18 to
  341 such words each, every one of them really run together in places);
- **uncommon quotation marks** (``''``, « », „ “, ‹ ›, 「 」): read as quotes
  (:mod:`rhetoric.text.tokens`), but worth a look at the quoted share (« » and „ “
  are a Russian text's own, 「 」 a Chinese text's: no warning there);
- **omission marks** an aggregator leaves (``<...>``, ``[…]``, ``(...)``): the text
  is not whole;
- **hard-wrapped lines** in a text without blank lines: each line is read as a
  paragraph, so sentences are cut at every line end.

Each finding is one warning line; none stops anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
import itertools
from pathlib import Path
import re

from rhetoric.text.stopwords import display_stopwords

__all__ = ["MIN_GLUED", "WORDS_FILE", "english_words", "glued_words", "text_warnings"]

#: Fewest glued words for a document to be named.
MIN_GLUED = 5
#: English words, one per line (made by ``validation/wordlist.py`` from the presidential
#: speeches): known parts for the glued-word check of a corpus too small to know its words.
WORDS_FILE = Path(__file__).with_name("words.txt")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The words of :data:`WORDS_FILE` (empty when the file is missing).

    Returns
    -------
    frozenset of str
        Lowercase English words.
    """
    try:
        return frozenset(WORDS_FILE.read_text(encoding="ascii").split())
    except OSError:
        return frozenset()


_WORD = re.compile(r"[a-z]+")
_UNCOMMON_QUOTES = re.compile(r"''|[«»„‹›「」]")
#: Quotation marks a language uses as its own, so not worth a warning in a text of it.
_OWN_QUOTES = {"ru": {"«", "»", "„"}, "zh": {"「", "」"}}
_OMISSION = re.compile(r"[<\[(]\s*(?:\.\s*){3}\s*[>\])]|[<\[(]\s*…\s*[>\])]")
_SENTENCE_END = re.compile(r"[.!?:;\"”»)\]。！？：；」』）]\s*$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _splits(word: str, known: set[str], stop: frozenset[str], parts: int = 3) -> bool:
    """Whether ``word`` is two or three known words run together, one of them a stopword
    (texts lose their spaces around every word, and function words are most of them; a rare
    word that merely splits into two content words, "con|dole", is not taken)."""
    for cut in range(1, len(word)):
        head, tail = word[:cut], word[cut:]
        if not ((len(head) >= 2 or head == "a") and head in known):
            continue
        if len(tail) >= 2 and tail in known and (head in stop or tail in stop):
            return True
        if parts > 2 and head in stop and _splits(tail, known, stop, 2):
            return True
    return False


def glued_words(
    texts: Mapping[str, str], *, words: frozenset[str] | None = None
) -> dict[str, list[str]]:
    """The words of each text that look like two or three words run together (module
    docstring), for the texts with at least :data:`MIN_GLUED` of them and 0.5% of their
    words.

    Parameters
    ----------
    texts : mapping of str to str
        Text by document id (the whole corpus: its word counts decide what is known).
    words : frozenset of str, optional
        English words known besides the corpus's own (default: :func:`english_words`).

    Returns
    -------
    dict of str to list of str
        The glued words by document id, in text order, each once.
    """
    english = english_words() if words is None else words
    found_in = {doc: _WORD.findall(text.lower()) for doc, text in texts.items()}
    counts = Counter(w for found in found_in.values() for w in found)
    stop = display_stopwords()
    known = {w for w, n in counts.items() if n >= 3} | stop | english
    result = {}
    for doc, found in found_in.items():
        glued = [w for w in dict.fromkeys(found)
                 if len(w) >= 6 and counts[w] <= 2 and w not in stop and w not in english
                 and _splits(w, known, stop)]  # fmt: skip
        if len(glued) >= MIN_GLUED and len(glued) >= 0.005 * len(found):
            result[doc] = glued
    return result


def _hard_wrapped(text: str) -> tuple[int, int] | None:
    """(lines cut mid-sentence, lines) of a text without blank lines whose lines look
    wrapped at a fixed width; None otherwise."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 5 or re.search(r"\n[ \t\u00a0]*\n", text.strip()):
        return None
    cut = sum(1 for line, after in itertools.pairwise(lines)
              if not _SENTENCE_END.search(line)
              and (after.lstrip()[:1].islower() or _HAN.match(after.lstrip()[:1])))  # fmt: skip
    return (cut, len(lines)) if cut >= 0.5 * (len(lines) - 1) else None


def text_warnings(
    texts: Mapping[str, str],
    only: set[str] | None = None,
    languages: Mapping[str, str] | None = None,
) -> list[str]:
    """One warning line per finding (module docstring) in ``texts``.

    Parameters
    ----------
    texts : mapping of str to str
        Text by document id, the whole corpus (glued words are judged against it).
    only : set of str, optional
        Report these documents only (the new ones of an ``add``); None: all.
    languages : mapping of str to str, optional
        Each text's language by id (None: all English). Glued words are looked for in
        English texts only; « » and „ are a Russian text's own quotation marks, 「 」 a
        Chinese text's, and get no warning there.

    Returns
    -------
    list of str
        ``<id>: ...`` lines, by document in the order of ``texts``.
    """
    language = {doc: (languages or {}).get(doc, "en") for doc in texts}
    glued = glued_words({doc: text for doc, text in texts.items() if language[doc] == "en"})
    lines = []
    for doc, text in texts.items():
        if only is not None and doc not in only:
            continue
        if doc in glued:
            shown = ", ".join(glued[doc][:3])
            lines.append(f"{doc}: {len(glued[doc])} words look glued together ({shown}, ...): "
                         "its spaces were lost, and theme hits and reuse miss those words; "
                         "fix the source text")  # fmt: skip
        marks = sorted(set(_UNCOMMON_QUOTES.findall(text)) - _OWN_QUOTES.get(language[doc], set()))
        if marks:
            lines.append(f"{doc}: uncommon quotation marks ({' '.join(marks)}) are read as "
                         "quotes; check its quoted share (`rhetoric corpus`)")  # fmt: skip
        omissions = _OMISSION.findall(text)
        if omissions:
            lines.append(f"{doc}: {len(omissions)} omission mark{'s' * (len(omissions) != 1)} "
                         f"such as {omissions[0]} (an aggregator's cut?): the text is not whole; "
                         "find the full text, or mark it `partial: true`")  # fmt: skip
        wrapped = _hard_wrapped(text)
        if wrapped:
            lines.append(f"{doc}: {wrapped[0]} of its {wrapped[1]} lines break mid-sentence and "
                         "it has no blank line, so each line is read as a paragraph; separate "
                         "paragraphs with blank lines and join the lines of each")  # fmt: skip
    return lines
