"""English, Russian and Chinese: sentences, words, stems and voice by each text's language.

Every text here was written for these tests (no copy of a published text); the expected values
were counted by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rhetoric.text.tokens import (
    ABBREVIATIONS,
    paragraph_spans,
    rules_language,
    sentence_spans,
    stem,
    tokenize_document,
    word_spans,
)

HERE = Path(__file__).parent / "languages"


def _sample(name: str) -> list[list[str]]:
    """The paragraphs of a hand-checked sample, each a list of its sentences."""
    paragraphs, current = [], []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    return paragraphs + ([current] if current else [])


def _boundary_errors(split, paragraphs) -> int:
    """Boundaries missed plus boundaries made where there is none, over every paragraph."""
    errors = 0
    for sentences in paragraphs:
        text = " ".join(sentences)
        gold, position = set(), 0
        for sentence in sentences[:-1]:
            position += len(sentence) + 1
            gold.add(position)
        found = {start for start, _end in split(text)} - {0}
        errors += len(gold ^ found)
    return errors


def _punkt(text: str) -> list[tuple[int, int]]:
    """NLTK's Punkt with the same abbreviations, per paragraph: the splitter used before ICU."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    punkt = PunktSentenceTokenizer(params)
    return [(p + s, p + e) for p, end in paragraph_spans(text)
            for s, e in punkt.span_tokenize(text[p:end])]  # fmt: skip


def test_english_sentences_on_the_hand_checked_sample_are_no_worse_than_punkt():
    paragraphs = _sample("sentences-en.txt")
    assert sum(len(p) - 1 for p in paragraphs) == 28  # boundaries in the sample
    assert _boundary_errors(sentence_spans, paragraphs) == 0
    # Punkt splits after "No." (No. 1) and twice inside '"Are we ready?" he asked. "Yes!" she said.'
    assert _boundary_errors(_punkt, paragraphs) == 3


def test_russian_sentences_keep_initials_and_abbreviations():
    text = (
        "Президент В. В. Путин заявил, что в 2025 г. стороны укрепят доверие. "
        "«Готовы ли мы?» — спросил он. Т. е. всё решено. Встреча прошла в Москве."
    )
    assert [text[s:e] for s, e in sentence_spans(text, language="ru")] == [
        "Президент В. В. Путин заявил, что в 2025 г. стороны укрепят доверие.",
        "«Готовы ли мы?» — спросил он.",
        "Т. е. всё решено.",
        "Встреча прошла в Москве.",
    ]


def test_chinese_sentences_end_at_full_width_marks():
    text = "双方重申互信。中俄将共同纪念胜利！他说：“我们信任彼此。”然后离开。"
    assert [text[s:e] for s, e in sentence_spans(text, language="zh")] == [
        "双方重申互信。",
        "中俄将共同纪念胜利！",
        "他说：“我们信任彼此。”",
        "然后离开。",
    ]


def test_chinese_words_are_segmented_with_offsets_and_voice():
    text = "双方将捍卫历史真相，反对歪曲历史。他说：「我们信任彼此。」𠀀字。"
    doc = tokenize_document(text, "zh")
    words = [text[s:e] for s, e in zip(doc.start.tolist(), doc.end.tolist(), strict=True)]
    assert words == ["双方", "将", "捍卫", "历史", "真相", "反对", "歪曲", "历史",
                     "他", "说", "我们", "信任", "彼此", "𠀀", "字"]  # fmt: skip
    # quoted: the three words inside 「」; after_punct: after ， 。 ： 「 and 」。
    assert [words[i] for i in range(len(words)) if doc.quoted[i]] == ["我们", "信任", "彼此"]
    assert [words[i] for i in range(len(words)) if doc.after_punct[i]] == [
        "反对", "他", "我们", "𠀀"]  # fmt: skip
    assert doc.sentence.tolist() == [0] * 8 + [1] * 5 + [2] * 2
    assert len(word_spans(text, "zh")[0]) == 15
    # read as English, each run between punctuation marks is one "word": 双方将捍卫历史真相,
    # 反对歪曲历史, 他说, 我们信任彼此, 𠀀字
    assert len(word_spans(text, "en")[0]) == 5


def test_russian_words_and_stems():
    text = "Стороны подтверждают: доверие и взаимное доверие — основа партнёрства, из-за этого…"
    doc = tokenize_document(text, "ru")
    words = [doc.types[c] for c in doc.codes]
    assert words == ["стороны", "подтверждают", "доверие", "и", "взаимное", "доверие",
                     "основа", "партнёрства", "из-за", "этого"]  # fmt: skip
    assert {stem(w) for w in ("доверие", "доверии", "доверия", "доверием")} == {"довер"}
    assert stem("партнёрства") == stem("партнерство") == "партнерств"  # ё read as е
    assert stem("историческую") == stem("историческая") == "историческ"


def test_stems_follow_the_script_and_snowball_two():
    assert [stem(w) for w in ("trusted", "partnerships", "international", "internal")] == [
        "trust", "partnership", "internat", "internal"]  # fmt: skip
    assert stem("互信") == "互信" and stem("2025") == "2025"


@pytest.mark.parametrize(
    ("code", "rules"),
    [
        ("en", "en"),
        ("ru", "ru"),
        ("RU", "ru"),
        ("zh", "zh"),
        ("zh-Hans", "zh"),
        ("zh_CN", "zh"),
        ("fr", "en"),
        ("", "en"),
    ],
)
def test_rules_language(code, rules):
    assert rules_language(code) == rules
