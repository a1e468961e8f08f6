"""English, Russian and Chinese: sentences, words, stems and voice by each text's language.

Every text here was written for these tests (no copy of a published text); the expected values
were counted by hand.
"""

from __future__ import annotations

from pathlib import Path
import shutil

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


# -- a statement in three languages (tests/languages/statement/) --------------------------

STATEMENT = HERE / "statement"
FILES = ["statement-ru", "statement-zh", "statement-en", "news-ru", "news-zh",
         "news-zh-reprint", "news-en"]  # fmt: skip


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A data folder with the bundled themes, parties and kinds, and the seven texts added
    with ``rhetoric add`` (metadata, version_of included, from their front matter)."""
    from rhetoric.cli.app import main
    from rhetoric.store import paths

    data = tmp_path / "data"
    assert main(["init", str(tmp_path / "study")]) == 0
    shutil.copytree(tmp_path / "study" / "data", data)
    for name in ("themes.yml", "parties.yml", "kinds.yml"):
        shutil.copy(paths.DATA_DIR / name, data / name)
    for name in FILES:
        assert (
            main(["add", str(STATEMENT / f"{name}.txt"), "--data", str(data), "--id", name]) == 0
        )
    return data


def _counts(corpus, doc: str) -> dict[str, int]:
    hits = corpus.hits[corpus.hits["document"].astype(object) == doc]
    return {k: v for k, v in hits["theme"].astype(object).value_counts().items() if v}


# Counted by hand: the Russian original has 78 word tokens (12 + 13 + 12 + 6 + 9 + 7 + 11 + 8
# over its eight sentences, the title one, "80-летия" one token), the Chinese version 75 (14 +
# 13 + 10 + 7 + 15 + 10 + 6: ICU's segments, each read and found a word, 两国人民 "the
# peoples of the two countries" as one; so this count pins ICU's dictionary, it is no
# independent segmentation), the English translation 95 (20 + 19 + 13 + 8 + 10 + 10 + 15,
# "People's" two tokens). Theme hits (bundled themes.yml): Russian war_memory 80-летия, Победы;
# Второй мировой войне; годовщину, Победы.
RU_HITS = {"war_memory": 5, "trust": 2, "historical_truth": 2, "cooperation": 2,
           "partnership": 1, "security": 1, "third_party_criticism": 1}  # fmt: skip
ZH_HITS = {"war_memory": 7, "trust": 2, "historical_truth": 2, "cooperation": 2,
           "partnership": 1, "security": 1, "third_party_criticism": 1}  # fmt: skip
# no "historical truth" in English ("the memory of the Second World War"), no last sentence
EN_HITS = {"war_memory": 5, "trust": 1, "historical_truth": 1, "cooperation": 2,
           "partnership": 1, "security": 1, "third_party_criticism": 1}  # fmt: skip


def test_each_version_is_matched_with_its_languages_terms(study):
    from rhetoric.pipeline import process_corpus

    corpus = process_corpus(study, versions="keep")
    sizes = corpus.tokens.groupby("document", observed=True).size()
    assert (sizes["statement-ru"], sizes["statement-zh"], sizes["statement-en"]) == (78, 75, 95)
    assert _counts(corpus, "statement-ru") == RU_HITS
    assert _counts(corpus, "statement-zh") == ZH_HITS
    assert _counts(corpus, "statement-en") == EN_HITS
    hits = corpus.hits
    russian = hits[hits["document"].astype(object) == "statement-ru"]
    # "доверие" and "взаимное доверие" (the longer phrase wins), "всеобъемлющего партнёрства"
    assert list(russian.loc[russian["theme"] == "trust", "term"]) == ["доверие",
                                                                      "взаимное доверие"]  # fmt: skip
    assert list(russian.loc[russian["theme"] == "partnership", "match"]) == [
        "всеобъемлющего партнёрства"]  # fmt: skip


def test_a_statement_counts_once_in_the_chosen_language(study):
    from rhetoric.errors import RhetoricInputError
    from rhetoric.pipeline import process_corpus

    default = process_corpus(study)  # the original; the Chinese reprint dropped
    assert list(default.documents["id"]) == ["statement-ru", "news-ru", "news-zh", "news-en"]
    chinese = process_corpus(study, language="zh")
    assert list(chinese.documents["id"]) == ["statement-zh", "news-ru", "news-zh", "news-en"]
    english = process_corpus(study, language="en")
    assert english.documents["id"].iloc[0] == "statement-en"
    with pytest.raises(RhetoricInputError, match="language 'fr': no document"):
        process_corpus(study, language="fr")


def test_versions_share_their_originals_event(study):
    from rhetoric.measures.events import document_events
    from rhetoric.pipeline import process_corpus

    every = document_events(process_corpus(study, versions="keep"))
    row = every.set_index("id")
    assert row.loc["statement-zh", ["event", "how"]].tolist() == ["statement-ru", "version"]
    assert row.loc["statement-en", ["event", "how"]].tolist() == ["statement-ru", "version"]
    # in Chinese, the original is left out, and the event keeps its name
    chinese = document_events(process_corpus(study, language="zh")).set_index("id")
    assert chinese.loc["statement-zh", ["event", "how"]].tolist() == ["statement-ru", "version"]
    assert set(chinese["event"]) == {"statement-ru"}


def test_the_chinese_reprint_is_found_on_characters(study):
    from rhetoric.pipeline import process_corpus

    pairs = process_corpus(study, reprints="keep").reprints
    assert list(zip(pairs["a"], pairs["b"], strict=True)) == [("news-zh", "news-zh-reprint")]
    # read as English, each article is a handful of clause-long "words": too short to compare
    from rhetoric.text.reprints import find_reprints

    texts = {n: (STATEMENT / f"{n}.txt").read_text(encoding="utf-8").split("---\n", 2)[2]
             for n in ("news-zh", "news-zh-reprint")}  # fmt: skip
    assert find_reprints(texts).empty
    assert len(find_reprints(texts, languages=["zh", "zh"])) == 1


def test_versions_align_sentence_by_sentence(study):
    from rhetoric.measures.versions import align_versions
    from rhetoric.pipeline import process_corpus

    corpus = process_corpus(study, versions="keep")
    chinese = align_versions(corpus, "statement-ru", "statement-zh")
    # the Chinese 5th sentence joins the Russian 5th and 6th (numbered from 0, as kwic does)
    assert list(zip(chinese["a_sentences"], chinese["b_sentences"], strict=True)) == [
        ("0", "0"), ("1", "1"), ("2", "2"), ("3", "3"), ("4+5", "4"), ("6", "5"), ("7", "6")]  # fmt: skip
    # the title: 80-летия, Победы against 纪念, 胜利, 周年 (no Russian term for commemorate)
    assert list(chinese["change"]) == ["changes war_memory (2 → 3)", "", "", "", "",
                                       "changes war_memory (2 → 3)", ""]  # fmt: skip
    assert chinese["b_terms"].iloc[2] == "war_memory: 第二次世界大战; historical_truth: 历史真相"
    english = align_versions(corpus, "statement-ru", "statement-en")
    # the English drops the Russian 8th sentence; Gale–Church, whose prior makes a 2:1 bead
    # nine times likelier than a deletion, joins it to the 7th: the change still shows
    assert list(english["b_sentences"]) == ["0", "1", "2", "3", "4", "5", "6"]
    assert english["a_sentences"].iloc[-1] == "6+7"
    assert list(english["change"]) == ["", "", "drops historical_truth", "", "", "",
                                       "drops trust"]  # fmt: skip


def test_version_of_problems_are_refused(study, capsys):
    from rhetoric.cli.app import main

    corpus_csv = study / "corpus.csv"
    text = corpus_csv.read_text(encoding="utf-8")
    corpus_csv.write_text(text.replace(",statement-ru\n", ",statement-xx\n", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--data", str(study)]) == 2
    assert "version_of 'statement-xx' is not the id of another document" in capsys.readouterr().err


def test_version_chains_and_circles():
    from rhetoric.text.versions import originals, version_problems

    declared = {"a": "", "b": "a", "c": "b", "d": "x", "e": "f", "f": "e"}
    problems = version_problems(declared)
    assert set(problems) == {"d", "e", "f"}
    assert "not the id of another document" in problems["d"]
    assert "circle" in problems["e"]
    assert originals({"a": "", "b": "a", "c": "b", "z": "gone"}) == {
        "a": "a", "b": "a", "c": "a", "z": "gone"}  # fmt: skip


def test_a_pattern_matched_in_no_language_gives_an_empty_hit_table(study):
    from rhetoric.measures.concordance import kwic
    from rhetoric.pipeline import process_corpus

    corpus = process_corpus(study, versions="keep")
    assert kwic(corpus, "nowhere-to-be-found").empty
    # the Chinese version and the Chinese article (its reprint is counted once: left out)
    assert list(kwic(corpus, "历史真相")["document"]) == ["statement-zh", "news-zh"]


# -- figures in every script -------------------------------------------------------------


def _drawn():
    import matplotlib.pyplot as plt

    from rhetoric.study import plots

    fig, ax = plt.subplots(figsize=(plots.figure_width(), 2.2))
    ax.barh(["trust", "доверие", "互信"], [3, 2, 1])
    ax.set_title("Historical truth · историческая правда · 历史真相")
    ax.set_xlabel("hits per 1,000 word tokens")
    return fig


def test_cyrillic_and_chinese_labels_render_in_every_format_byte_stable(tmp_path):
    import re

    import matplotlib.pyplot as plt

    from rhetoric.study import plots
    from rhetoric.study.figures import save_figure, text_problems

    plots.use_style()
    written = {}
    for run in ("a", "b"):
        fig = _drawn()  # a glyph missing from every font would warn, an error in the tests
        assert text_problems(fig) == []
        paths = save_figure(fig, "09-scripts", figures_dir=tmp_path / run, notebook="test",
                            caption="", fingerprint="", parameters={})  # fmt: skip
        plt.close(fig)
        written[run] = {p.suffix: p.read_bytes() for p in paths}
    assert written["a"] == written["b"]
    pdf = written["a"][".pdf"]
    assert set(re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", pdf)) == {b"DejaVuSans",
                                                                  b"DejaVuSans-Bold",
                                                                  b"WenQuanYiMicroHei"}  # fmt: skip
    assert pdf.count(b"/FontFile2") >= 2 and b"/Type3" not in pdf  # TrueType, embedded
    svg = written["a"][".svg"].decode("utf-8")
    assert "历史真相" in svg and "доверие" in svg  # text stays text
    assert "font-family: 'DejaVu Sans', 'WenQuanYi Micro Hei'" in svg


def test_without_the_chinese_font_a_glyph_would_be_missing():
    import matplotlib.pyplot as plt

    from rhetoric.study import plots

    plots.use_style()
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = _drawn()
        with pytest.warns(UserWarning, match="missing from font"):
            fig.canvas.draw()
        plt.close(fig)


@pytest.mark.slow
def test_round_trip_through_the_command_line(tmp_path, capsys, monkeypatch):
    """add, validate, themes, kwic, duplicates, versions, lexicon and run on the texts of the
    three languages, with the statement counted in Chinese."""
    import json

    from rhetoric.cli.app import main
    from rhetoric.store import paths

    assert main(["init", str(tmp_path / "study")]) == 0
    study = tmp_path / "study"
    monkeypatch.chdir(study)
    for name in ("themes.yml", "parties.yml", "kinds.yml"):
        shutil.copy(paths.DATA_DIR / name, study / "data" / name)
    for name in FILES:
        assert main(["add", str(STATEMENT / f"{name}.txt"), "--id", name]) == 0
    assert main(["validate"]) == 0
    capsys.readouterr()
    assert main(["themes", "--by", "document", "--language", "zh", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert "statement-zh,war_memory,7,0,75" in "\n".join(rows) and not any(
        r.startswith("statement-ru,") for r in rows)  # fmt: skip
    assert main(["kwic", "историческая правда", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("историческую правду") == 2  # the statement, news-ru
    assert main(["duplicates", "--format", "csv"]) == 0
    assert "news-zh,news-zh-reprint" in capsys.readouterr().out
    assert main(["versions", "statement-zh", "--format", "csv"]) == 0
    out = capsys.readouterr()
    assert "a = statement-ru (ru), b = statement-zh (zh)" in out.err
    assert "4+5,4," in out.out
    assert main(["lexicon", "--unmatched", "--format", "csv"]) == 0
    assert "trust,ru,политическое доверие,0,0,0," in capsys.readouterr().out
    assert main(["run", "-p", "compare_by=language", "-p", "group_a=ru", "-p", "group_b=zh",
                 "-p", "language=zh"]) == 0  # fmt: skip
    notebook = json.loads((study / "notebooks" / "04_framing_comparison.ipynb").read_text())
    shown = json.dumps(notebook["cells"], ensure_ascii=False)
    assert "drops historical_truth" in shown and "changes war_memory (2 → 3)" in shown
    assert (study / "figures" / "04-reuse-statement-zh.png").exists()
    manifest = json.loads((study / "figures" / "manifest.json").read_text(encoding="utf-8"))
    assert all(not entry["text_problems"] for entry in manifest["figures"].values())


def test_russian_and_chinese_negators_mark_hits(tmp_path):
    import pandas as pd

    from rhetoric.pipeline import process_dataframe

    frame = pd.DataFrame({
        "id": ["ru", "zh"], "date": ["2025-01-01"] * 2, "parties": ["RU;CN"] * 2,
        "language": ["ru", "zh"],
        "text": ["Стороны не утратили доверие. Доверие растёт.", "双方缺乏互信。互信加深。"],
    })  # fmt: skip
    themes = tmp_path / "themes.yml"
    themes.write_text("trust:\n  label: Trust\n  description: d\n  terms:\n"
                      "    ru: [доверие]\n    zh: [互信]\n", encoding="utf-8")  # fmt: skip
    corpus = process_dataframe(frame, themes_file=themes)
    assert corpus.hits[["document", "negated"]].astype(object).values.tolist() == [
        ["ru", True], ["ru", False], ["zh", True], ["zh", False]]  # fmt: skip


def test_validate_warns_of_languages_without_rules_or_terms(study, tmp_path, capsys):
    from rhetoric.cli.app import main

    french = tmp_path / "fr.txt"
    french.write_text("Les deux parties réaffirment leur confiance mutuelle.\n", encoding="utf-8")
    assert main(["add", str(french), "--data", str(study), "--date", "2025-05-10",
                 "--parties", "RU,CN", "--language", "fr"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["validate", "--data", str(study)]) == 0
    err = capsys.readouterr().err
    assert "warning: 1 document in fr: read by the en rules" in err
    assert "1 document in fr, and 9 themes without fr terms (trust, partnership," in err
    assert "in ru, and" not in err and "in zh, and" not in err  # both have terms everywhere


def test_a_statement_whose_original_is_a_reprint_still_counts_once(study, tmp_path):
    """The Foreign Ministry's copy of the Russian text, a day earlier, becomes the canonical
    copy: the Russian original is its reprint, and the versions name the original."""
    from rhetoric.cli.app import main
    from rhetoric.measures.events import document_events
    from rhetoric.pipeline import process_corpus

    text = (STATEMENT / "statement-ru.txt").read_text(encoding="utf-8")
    mid = tmp_path / "mid.txt"
    mid.write_text(text.replace("outlet: Kremlin", "outlet: MID")
                   .replace("date: 2025-05-08", "date: 2025-05-07"), encoding="utf-8")  # fmt: skip
    assert main(["add", str(mid), "--data", str(study), "--id", "statement-ru-mid"]) == 0
    statement = {"statement-ru", "statement-ru-mid", "statement-zh", "statement-en"}
    for language, counted in ((None, "statement-ru-mid"), ("zh", "statement-zh"),
                              ("en", "statement-en")):  # fmt: skip
        for reprints in ("drop", "keep"):
            corpus = process_corpus(study, language=language, reprints=reprints)
            kept = set(corpus.documents["id"]) & statement
            # reprints=keep keeps the copies of the version counted: here the Kremlin's copy
            copies = {"statement-ru"} if reprints == "keep" and language is None else set()
            assert kept == {counted} | copies, (language, reprints)
            assert set(document_events(corpus)["event"]) == {"statement-ru-mid"}


def test_a_version_that_is_a_reprint_brings_its_canonical_copy_into_the_statement(study, tmp_path):
    """The Foreign Ministry's Chinese text, a day earlier and worded a little differently, is
    the canonical copy; the Chinese version (version_of the Russian) is its reprint."""
    from rhetoric.cli.app import main
    from rhetoric.measures.events import document_events
    from rhetoric.pipeline import process_corpus

    text = (STATEMENT / "statement-zh.txt").read_text(encoding="utf-8")
    mfa = tmp_path / "mfa.txt"
    mfa.write_text(text.replace("version_of: statement-ru\n", "")
                   .replace("outlet: Xinhua", "outlet: MFA").replace("date: 2025-05-08", "date: 2025-05-07")
                   .replace("双方确认", "双方重申"), encoding="utf-8")  # fmt: skip
    assert main(["add", str(mfa), "--data", str(study), "--id", "statement-zh-mfa"]) == 0
    statement = {"statement-ru", "statement-zh", "statement-zh-mfa", "statement-en"}
    for language in (None, "ru", "zh", "en"):
        for reprints in ("drop", "keep"):
            corpus = process_corpus(study, language=language, reprints=reprints)
            kept = set(corpus.documents["id"]) & statement
            expected = {None: {"statement-ru"}, "ru": {"statement-ru"}, "en": {"statement-en"},
                        "zh": {"statement-zh-mfa"} | ({"statement-zh"} if reprints == "keep"
                                                      else set())}[language]  # fmt: skip
            assert kept == expected, (language, reprints)
            assert set(document_events(corpus)["event"]) == {"statement-ru"}, (language, reprints)


def test_a_version_of_coverage_is_placed_like_coverage_when_its_original_is_left_out(study):
    from rhetoric.measures.events import document_events
    from rhetoric.pipeline import process_corpus

    corpus_csv = study / "corpus.csv"
    lines = corpus_csv.read_text(encoding="utf-8").splitlines()
    # news-en's version_of, the last field (empty until now)
    lines = [line + "news-ru" if line.startswith("news-en,") else line for line in lines]
    corpus_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for language in (None, "en"):
        events = document_events(process_corpus(study, language=language)).set_index("id")
        assert set(events["event"]) == {"statement-ru"}, language
    assert events.loc["news-en", "how"] == "date"  # its original, news-ru, is left out in en


def test_three_letter_codes_read_chinese_everywhere(study):
    from rhetoric.pipeline import process_corpus

    corpus_csv = study / "corpus.csv"
    text = corpus_csv.read_text(encoding="utf-8")
    corpus_csv.write_text(text.replace(",zh,", ",cmn,"), encoding="utf-8")
    corpus = process_corpus(study, reprints="keep", versions="keep")
    assert set(corpus.languages.values()) == {"ru", "cmn", "en"}
    pairs = corpus.reprints
    assert list(zip(pairs["a"], pairs["b"], strict=True)) == [("news-zh", "news-zh-reprint")]
    sizes = corpus.tokens.groupby("document", observed=True).size()
    assert sizes["statement-zh"] == 75  # segmented as Chinese


def test_an_event_declared_on_the_original_holds_for_its_versions(study):
    from rhetoric.measures.events import document_events
    from rhetoric.pipeline import process_corpus

    corpus_csv = study / "corpus.csv"
    lines = corpus_csv.read_text(encoding="utf-8").splitlines()
    lines[0] += ",event"
    lines[1:] = [line + (",v80" if line.startswith(("statement-ru,", "news-ru,")) else ",")
                 for line in lines[1:]]  # fmt: skip
    corpus_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for language in (None, "zh", "en"):
        events = document_events(process_corpus(study, language=language))
        assert set(events["event"]) == {"v80"}, language


def test_a_chinese_paragraph_repeated_by_one_outlet_is_boilerplate():
    import pandas as pd

    from rhetoric.pipeline import process_dataframe

    trailer = "本文为新华社独家稿件，责任编辑王明。未经本网站书面许可，任何单位和个人不得转载、摘编或以其他方式使用本文内容。"
    bodies = ["中俄两国元首在莫斯科签署联合声明，双方同意深化全面战略协作伙伴关系。",
              "中俄双方将共同纪念第二次世界大战胜利八十周年，捍卫历史真相。",
              "两国外长举行会谈，就国际和地区问题交换意见，双方政治互信不断加深。"]  # fmt: skip
    frame = pd.DataFrame({
        "id": ["a", "b", "c"], "date": ["2025-05-01", "2025-06-01", "2025-07-01"],
        "parties": ["RU;CN"] * 3, "language": ["zh"] * 3, "outlet": ["Xinhua"] * 3,
        "text": [f"{body}\n\n{trailer}" for body in bodies],
    })  # fmt: skip
    corpus = process_dataframe(frame)
    assert set(corpus.audit["rule"]) == {"repeated-paragraph"}  # counted in words, not spaces
    assert all(trailer not in text and text.strip() == body
               for text, body in zip(corpus.cleaned, bodies, strict=True))  # fmt: skip


def test_a_wrapped_line_inside_a_chinese_paragraph_does_not_cut_a_word():
    text = "双方同意加强合\n作，推动互\n信。\n\n第二段。"
    doc = tokenize_document(text, "zh")
    assert [doc.types[c] for c in doc.codes] == ["双方", "同意", "加强", "合作", "推动", "互信",
                                                 "第二", "段"]  # fmt: skip
    assert text[doc.start[3] : doc.end[3]] == "合\n作"  # offsets span the line break
    # without blank lines each line is a paragraph: the break stands, and quality warns
    from rhetoric.text.quality import text_warnings

    wrapped = "".join(f"第{i}行的内容在这里被硬\n换行了" for i in range(6))
    assert any("break mid-sentence" in w for w in text_warnings({"w": wrapped}, None, {"w": "zh"}))


def test_russian_initials_without_spaces_do_not_end_a_sentence():
    text = "В.В. Путин и С.В. Лавров встретились с Си Цзиньпином. George H.W. Bush was not there."
    assert [text[s:e] for s, e in sentence_spans(text, language="ru")] == [
        "В.В. Путин и С.В. Лавров встретились с Си Цзиньпином.",
        "George H.W. Bush was not there."]  # fmt: skip


def test_concordance_lines_stay_aligned_with_chinese_contexts():
    import pandas as pd

    from rhetoric.measures.concordance import format_kwic

    frame = pd.DataFrame({"document": ["a", "b"], "sentence": [1, 2],
                          "left": ["双方将坚决捍卫第二次世界大战的", "we defend the"],
                          "match": ["历史真相", "truth"], "right": ["。", "about it"]})  # fmt: skip
    # each context cut to 10 terminal columns, a Chinese character taking two: …界大战的 is 9
    # columns (a tenth would split a character), …efend the is 10; both end at column 18
    assert format_kwic(frame, width=10) == ["[a, 1]   …界大战的 | 历史真相 | 。",
                                            "[b, 2]  …efend the | truth | about it"]  # fmt: skip


def test_russian_guillemets_mark_the_quoted_voice(study):
    from rhetoric.pipeline import process_corpus

    tokens = process_corpus(study).tokens
    news = tokens[tokens["document"].astype(object) == "news-ru"]
    quoted = [w for w, v in zip(news["lower"].astype(str), news["voice"].astype(str), strict=True)
              if v == "quoted"]  # fmt: skip
    # «Россия и Китай будут решительно защищать историческую правду о Второй мировой войне»
    assert quoted == ["россия", "и", "китай", "будут", "решительно", "защищать", "историческую",
                      "правду", "о", "второй", "мировой", "войне"]  # fmt: skip
