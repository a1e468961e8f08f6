"""rhetoric.text.tokens: offline sentences and tokens, offsets, stems, voice."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from rhetoric.text.tokens import (
    WordTokenizer,
    paragraph_spans,
    quoted_spans,
    sentence_spans,
    stem,
    tokenize_document,
)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("in U.S.-Russian ties.", ["in", "U.S.", "-", "Russian", "ties", "."]),
        ("Putin's and Russia’s goals", ["Putin", "'s", "and", "Russia", "’s", "goals"]),
        ("the “common goal.” Then", ["the", "“", "common", "goal", ".", "”", "Then"]),
        ("World War II—a conflict", ["World", "War", "II", "—", "a", "conflict"]),
        ("of the 21st century", ["of", "the", "21st", "century"]),
        (
            'can "build trust and cooperate."',
            ["can", '"', "build", "trust", "and", "cooperate", ".", '"'],
        ),
        (
            "the one-China policy, non-proliferation",
            ["the", "one-China", "policy", ",", "non-proliferation"],
        ),
        ("They won't, can't.", ["They", "wo", "n't", ",", "ca", "n't", "."]),
        (
            "Mr. Putin in Washington, D.C. on Aug. 5",
            ["Mr.", "Putin", "in", "Washington", ",", "D.C.", "on", "Aug.", "5"],
        ),
        ("1,009 speeches cost $2.50", ["1,009", "speeches", "cost", "$", "2.50"]),
        ("the 'spirit of the Elbe'", ["the", "'", "spirit", "of", "the", "Elbe", "'"]),
        ("O'Brien met them", ["O'Brien", "met", "them"]),
    ],
)
def test_word_tokens(text, tokens):
    assert WordTokenizer().tokenize(text) == tokens


def test_sentences_keep_abbreviations_together():
    text = "Mr. Putin met U.S. Ambassador John Sullivan. They spoke on Aug. 5 in Washington, D.C. today."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Putin met U.S. Ambassador John Sullivan.",
        "They spoke on Aug. 5 in Washington, D.C. today.",
    ]


def test_paragraphs_by_blank_lines_or_by_lines():
    assert paragraph_spans("a\nb\n\nc") == [(0, 3), (5, 6)]
    assert paragraph_spans("a\n b \nc") == [(0, 1), (3, 4), (6, 7)]


def test_a_sentence_never_crosses_a_paragraph():
    text = "Headline Without Full Stop\nThe body starts here. It ends."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Headline Without Full Stop",
        "The body starts here.",
        "It ends.",
    ]


# Hand-marked voice, from the seeds (quoted words in capitals in the comment).
VOICE_CASES = [
    (  # 2010: a quotation that runs to the paragraph's end, then narration
        "\"We are convinced that, acting in the 'spirit of the Elbe' on an equitable basis,\" said X.",
        "We are convinced that acting in the spirit of the Elbe on an equitable basis",
    ),
    (  # 2020: curly quotes in the deck
        "signalling need to work together for “common goal.”",
        "common goal",
    ),
    (  # 2025: two quotations in one sentence
        'relations are "self-sufficient" and "do not depend on domestic political factors."',
        "self-sufficient do not depend on domestic political factors",
    ),
    (  # an unclosed quote ends at its paragraph's end
        'He said "we will build trust\nThe next paragraph is narration.',
        "we will build trust",
    ),
    (  # apostrophes are not quotes
        "Russia's and China's leaders' views",
        "",
    ),
]


@pytest.mark.parametrize(("text", "quoted"), VOICE_CASES)
def test_voice(text, quoted):
    doc = tokenize_document(text)
    words = [text[s:e] for s, e, q in zip(doc.start, doc.end, doc.quoted, strict=True) if q]
    assert " ".join(words) == quoted


def test_quoted_spans_include_the_marks():
    text = 'a "b" c “d e” f'
    assert [text[s:e] for s, e in quoted_spans(text)] == ['"b"', "“d e”"]


def test_stems_are_snowball_english():
    assert [stem(w) for w in ["trust", "trusted", "partnership", "cooperation", "1945"]] == [
        "trust",
        "trust",
        "partnership",
        "cooper",
        "1945",
    ]


def test_document_tokens_have_sentences_and_types():
    doc = tokenize_document("We trust. They trust us.")
    assert list(doc.sentence) == [0, 0, 1, 1, 1]
    assert [doc.types[c] for c in doc.codes] == ["we", "trust", "they", "trust", "us"]
    assert list(doc.sentence_start) == [0, 10] and list(doc.sentence_end) == [9, 24]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_offsets_always_point_at_the_token(text):
    doc = tokenize_document(text)
    for s, e, code in zip(doc.start, doc.end, doc.codes, strict=True):
        surface = text[s:e]
        assert surface and surface == surface.strip()
        assert doc.types[code] == surface.lower().replace("’", "'")
        assert any(c.isalnum() for c in surface)
    assert list(doc.start) == sorted(doc.start)


def test_no_nltk_data_needed(tmp_path):
    """The whole pipeline in a fresh interpreter with empty NLTK_DATA and HOME."""
    empty = tmp_path / "empty"
    empty.mkdir()
    code = (
        "import nltk, rhetoric.pipeline as p\n"
        "r = p.process_corpus()\n"
        "assert len(r.tokens) > 1000 and len(r.hits) > 50\n"
        "print(len(r.tokens), len(nltk.data.path))\n"
    )
    env = {
        **os.environ,
        "HOME": str(empty),
        "NLTK_DATA": str(empty),
        "RHETORIC_CACHE": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(Path(__file__).parent),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not any(Path(p).exists() and any(Path(p).iterdir()) for p in [empty])


# -- the fast paths give exactly what the plain rules give --------------------------------

#: Characters that exercise every rule: letters (Latin, Greek with its final sigma, accented),
#: digits, dots, commas, hyphens, apostrophes, quotes, underscores, spaces and line breaks.
_PIECES = [*"aAnNtTsSdDmMlLvVrReE ΣσΟοéÉ019._,-‐'’\"“”«»!?;:()\n\t\u00a0²"]
_PIECES += ["Mr.", "U.S.", "n't", "'s", "1,009", "3.5", "etc.", "__", "Jan.", "re", "ll"]
_TRICKY = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


def _rule_tokens(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is punctuation) by the tokenizer's rules alone, without the shortcuts:
    the rule text (``_RULES``) is the specification the public ``word_spans`` is held to."""
    import re

    from rhetoric.text.tokens import _RULES

    return [
        (m.start(), m.end(), m.lastgroup == "punct")
        for m in re.compile(_RULES, re.VERBOSE).finditer(text)
    ]


def _reference_word_spans(text: str):
    """word_spans written the slow, obvious way: one match at a time."""
    starts, ends, after, previous_punct = [], [], [], False
    for start, end, punct in _rule_tokens(text):
        if punct:
            previous_punct = True
        elif any(c.isalnum() for c in text[start:end]):
            starts.append(start)
            ends.append(end)
            after.append(previous_punct)
            previous_punct = False
    return starts, ends, after


def _seed_texts() -> list[str]:
    from conftest import ROOT

    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*"))]


@settings(max_examples=400, deadline=None)
@given(_TRICKY)
def test_vectorised_word_spans_match_the_obvious_loop(text):
    from rhetoric.text.tokens import word_spans

    start, end, after = word_spans(text)
    assert (start.tolist(), end.tolist(), after.tolist()) == _reference_word_spans(text)


def test_word_spans_on_the_seeds_match_the_obvious_loop():
    from rhetoric.text.tokens import word_spans

    for text in _seed_texts():
        start, end, after = word_spans(text)
        assert (start.tolist(), end.tolist(), after.tolist()) == _reference_word_spans(text)


def test_lowercasing_joined_words_is_lowercasing_each():
    doc = tokenize_document("ΟΔΟΣ Σ ΣΑΣ. İstanbul’s STRASSE, Ǆemal’s ΌΣΟΣ\n\nOΣ")
    words = [
        "ΟΔΟΣ Σ ΣΑΣ. İstanbul’s STRASSE, Ǆemal’s ΌΣΟΣ\n\nOΣ"[s:e]
        for s, e in zip(doc.start.tolist(), doc.end.tolist(), strict=True)
    ]
    assert [doc.types[c] for c in doc.codes] == [w.lower().replace("’", "'") for w in words]


_SALAD = ["States.", "nation.", "Mr.", "A.", "12.", "co.", "we", "We", "the", "“Yes.”", "no!",
          "U.S.", "why?", "(so.)", "...", "And", "and", "e.g.", "\n\n", "St.", "It's."]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_SALAD), max_size=30))
def test_sentences_tile_each_paragraph_on_word_salad(words):
    """Sentences are in order, inside one paragraph each, trimmed, and together hold every
    character of the paragraph but whitespace."""
    text = " ".join(words)
    sentences = sentence_spans(text)
    paragraphs = paragraph_spans(text)
    for (_s1, e1), (s2, _e2) in itertools.pairwise(sentences):
        assert e1 <= s2 and not text[e1:s2].strip()
    for p_start, p_end in paragraphs:
        inside = [(s, e) for s, e in sentences if p_start <= s < p_end]
        assert all(e <= p_end and text[s:e] == text[s:e].strip() for s, e in inside)
        assert "".join(text[s:e] for s, e in inside).replace(" ", "") == (
            text[p_start:p_end].replace(" ", "").replace("\n", "")
        )
