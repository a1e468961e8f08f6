"""rhetoric.text.quality: texts damaged in ways that pass every other check (issue 30)."""

from __future__ import annotations

from conftest import make_data_dir
from rhetoric.cli import main
from rhetoric.pipeline import process_corpus
from rhetoric.text import quality
from rhetoric.text.tokens import quoted_spans
from test_reprint_rule import STORY

#: A copy that lost its spaces at many joins, as an aggregator's scraper makes them.
GLUED = (
    "Theunited States and Russia said on Saturday that anuclear war cannot be won, andthethreat "
    "of escalation must be reduced. The statement,published by the Kremlin, saidthe two sides "
    "would meet againin Geneva, andthat their experts would discussarms control. Officials "
    "saidthat the talks wouldbe difficult."
)


def test_glued_words_are_found_and_ordinary_rare_words_are_not():
    texts = {f"story-{n}": paragraph for n, paragraph in enumerate(STORY)}
    texts["glued"] = GLUED
    found = quality.glued_words(texts)
    assert list(found) == ["glued"]
    assert {"theunited", "anuclear", "andthethreat", "saidthe", "andthat"} <= set(found["glued"])
    # rare words that split into two known parts, with no function word: not glued
    assert not quality._splits("condole", {"con", "dole"}, frozenset({"the"}))


def test_uncommon_quotes_omissions_and_hard_wrapping_are_warned_about():
    wrapped = (
        "The leaders met in Geneva on Wednesday and agreed that\n"
        "a nuclear war cannot be won and must never be fought, and\n"
        "that their teams would meet again soon to discuss the\n"
        "control of arms and the reduction of risks, officials said.\n"
        "Both sides called the talks useful and businesslike."
    )
    texts = {
        "guillemets": "Le texte dit « confiance » et rien d'autre, selon l'agence.",
        "cut": "The statement said <...> that the parties [...] would meet again.",
        "wrapped": wrapped,
        "fine": STORY[0],
    }
    lines = quality.text_warnings(texts)
    assert [line.split(":")[0] for line in lines] == ["guillemets", "cut", "wrapped"]
    assert "uncommon quotation marks (« ») are read as quotes" in lines[0]
    assert "2 omission marks such as <...>" in lines[1]
    assert "3 of its 5 lines break mid-sentence" in lines[2]


def test_quotation_marks_of_other_typographies_are_read_as_quotes():
    for text, quoted in [
        ("He said „trust is good“ and left.", "„trust is good“"),
        ("He said ''trust is good'' and left.", "''trust is good''"),
        ("Il a dit ‹ confiance › puis « partenariat ».", "‹ confiance ›"),
        ("他说「信任」。", "「信任」"),
    ]:
        start, end = quoted_spans(text)[0]
        assert text[start:end] == quoted


def test_validate_and_add_warn_in_one_line_each_and_still_succeed(tmp_path, capsys,
                                                                   monkeypatch):  # fmt: skip
    monkeypatch.setenv("RHETORIC_CACHE", str(tmp_path / "cache"))
    data = make_data_dir(tmp_path / "data", [(p, "2020-04-25", "US,RU") for p in STORY[:4]])
    source = tmp_path / "glued.txt"
    source.write_text(GLUED, encoding="utf-8")
    capsys.readouterr()
    assert main(["add", str(source), "--data", str(data), "--date", "2020-04-26",
                 "--parties", "US,RU", "--id", "glued"]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert err.startswith("warning: glued: ") and "words look glued together" in err
    assert err.count("\n") == 1
    assert main(["validate", "--data", str(data)]) == 0
    assert "warning: glued: " in capsys.readouterr().err
    # the loss the warning is about: a theme term glued to its neighbour is not counted
    corpus = process_corpus(data)
    assert "anuclear" in set(corpus.tokens["lower"].astype(str))
