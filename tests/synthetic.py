"""A synthetic but realistic multi-dyad corpus, written for the tests (not from the seeds).

:func:`write_synthetic_corpus` makes a data directory of 51 statements:
US–Russia (17), Russia–China (17), US–China (14), one single-party US
statement, one three-party China–India–Russia statement and one India–Russia
statement (a group with a single document). Texts are joint statements and
news reports from several outlets, 50 to about 5,000 words, built from
sentence pools whose mix differs by dyad; news reports quote the statement,
agency copy ends with the agency's sign-off (a paragraph repeated across that
outlet's documents) and one outlet adds a donation appeal (a boilerplate
rule). Everything is drawn from a seeded random generator: the same call
always writes the same bytes. ``scale=4`` writes four times as many
statements in each group of more than one (195 statements, the three
one-document groups kept), for the checks that outputs stay bounded at
about 200 documents.
"""

from __future__ import annotations

from pathlib import Path
import random
import shutil

from rhetoric.data.folder import add_statements
from rhetoric.store import paths

FRAMING = {
    "trust": [
        "The sides stressed that mutual trust remains the foundation of their relations.",
        "Both leaders said confidence-building measures would strengthen trust between their countries.",
        "The parties agreed that political mutual trust must be deepened at every level.",
        "Officials on both sides acknowledged a lack of trust on several issues.",
    ],
    "partnership": [
        "The two countries reaffirmed their comprehensive strategic partnership.",
        "The leaders pledged to stand by each other as reliable partners.",
        "They described their partnership as a model of relations between major powers.",
        "Both sides promised to work together hand in hand on regional questions.",
    ],
    "history": [
        "The statement called on all nations to defend the historical truth about the Second World War.",
        "The leaders warned against attempts to rewrite history and falsify the record of the war.",
        "Both sides vowed to preserve the historical memory of those who fell.",
    ],
    "war": [
        "The statement honoured the courage of the soldiers who fought together against Nazism.",
        "The anniversary of the meeting on the Elbe was recalled as a symbol of wartime alliance.",
        "Veterans of both countries were invited to the Victory Day commemoration.",
    ],
    "security": [
        "The parties discussed strategic stability and the future of nuclear arms control.",
        "They agreed to continue talks on non-proliferation and the threat of terrorism.",
        "Both sides expressed concern about the security situation in the region.",
    ],
    "cooperation": [
        "The two governments signed agreements to expand cooperation in trade and energy.",
        "Officials pledged closer coordination on climate and public health.",
        "The sides agreed on joint efforts to deal with common challenges.",
    ],
    "prosperity": [
        "The leaders said stable relations serve peace and prosperity in the world.",
        "They stressed mutual benefit and sustainable development as shared goals.",
    ],
    "sovereignty": [
        "The parties advocated a multipolar world order based on sovereignty and equality.",
        "Both sides opposed interference in internal affairs and supported territorial integrity.",
        "They agreed to expand settlements in national currencies.",
    ],
    "criticism": [
        "The statement criticised the expansion of military blocs and unilateral sanctions.",
        "Both countries condemned coercive measures imposed by third countries.",
        "They accused some states of a cold war mentality.",
    ],
}
NEUTRAL = [
    "The talks lasted several hours and covered a wide range of topics.",
    "The delegations met in the capital on the second day of the visit.",
    "A joint press conference followed the signing ceremony.",
    "Ministers from both governments attended the meeting.",
    "The document runs to several pages and covers economic and political questions.",
    "Observers noted that the tone of the meeting was businesslike.",
    "The visit was the first of its kind in several years.",
    "Further talks are planned for the autumn.",
]
MIX = {  # weight of each framing pool per dyad
    "RU-US": {
        "trust": 3,
        "partnership": 1,
        "war": 4,
        "security": 4,
        "cooperation": 2,
        "history": 1,
    },
    "CN-RU": {
        "partnership": 4,
        "history": 3,
        "war": 2,
        "sovereignty": 3,
        "criticism": 3,
        "prosperity": 2,
        "trust": 2,
    },
    "CN-US": {"cooperation": 4, "prosperity": 3, "security": 2, "trust": 2, "criticism": 1},
    "US": {"security": 2, "cooperation": 1},
    "CN-IN-RU": {"sovereignty": 3, "partnership": 2, "prosperity": 2},
    "IN-RU": {"partnership": 3, "cooperation": 2},
}
OUTLETS = {
    "news_article": ["Reuters", "The Moscow Times", "Global Times", "Associated Press"],
    "joint_statement": ["Kremlin", "White House", "Xinhua", ""],
}
SIGN_OFF = {
    "Reuters": "Reporting by the Moscow bureau; editing by the world desk team.",
    "Associated Press": "Associated Press writers in several capitals contributed to this report.",
}
APPEAL = (
    "A Message from The Moscow Times:\nDear readers,\nWe are facing unprecedented challenges and we need your "
    "help to keep reporting.\nRemind me later."
)
PLAN = [("RU-US", 17, "US,RU"), ("CN-RU", 17, "RU,CN"), ("CN-US", 14, "US,CN"), ("US", 1, "US"),
        ("CN-IN-RU", 1, "RU,IN,CN"), ("IN-RU", 1, "IN,RU")]  # fmt: skip


def _sentence(rng: random.Random, dyad: str) -> str:
    if rng.random() < 0.45:
        return rng.choice(NEUTRAL)
    pools = MIX[dyad]
    pool = rng.choices(list(pools), weights=list(pools.values()))[0]
    return rng.choice(FRAMING[pool])


def _text(rng: random.Random, dyad: str, kind: str, outlet: str, words: int) -> str:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [_sentence(rng, dyad) for _ in range(rng.randint(1, 4))]
        if kind == "news_article" and rng.random() < 0.4:
            quoted = " ".join(sentences).rstrip(".")
            paragraphs.append(f'"{quoted}," the statement said.')
        else:
            paragraphs.append(" ".join(sentences))
        count += sum(len(s.split()) for s in sentences)
    if outlet in SIGN_OFF:
        paragraphs.append(SIGN_OFF[outlet])
    if outlet == "The Moscow Times":
        paragraphs.append(APPEAL)
    return "\n\n".join(paragraphs) + "\n"


def write_synthetic_corpus(folder: Path, *, seed: int = 20251122, scale: int = 1) -> Path:
    """Write the corpus into a new data directory ``folder`` (project YAML files copied)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    (folder / "raw").mkdir()
    (folder / "corpus.csv").write_text(
        "id,file,title,date,parties,kind,outlet,url,language,sha256\n", encoding="utf-8"
    )
    for name in (paths.THEMES_FILE, paths.BOILERPLATE_FILE, paths.PARTIES_FILE):
        shutil.copy(paths.DATA_DIR / name, folder / name)
    with (folder / paths.THEMES_FILE).open(
        "a", encoding="utf-8"
    ) as themes:  # a theme that never matches
        themes.write(
            "\nspace:\n  label: Outer space\n  description: Cooperation beyond the atmosphere.\n"
            "  terms: [outer space, lunar station]\n"
        )
    sources = folder.parent / f"{folder.name}-sources"
    sources.mkdir()
    number = 0
    for dyad, n, parties in PLAN:
        n = n * scale if n > 1 else n
        for i in range(n):
            kind = rng.choice(["joint_statement", "news_article"])
            outlet = rng.choice(OUTLETS[kind])
            words = rng.choice([50, 120, 300, 600, 1200, 2500, 5000]) if i else 5000
            year = 2000 + (i * 25) // max(n, 1) + (1 if dyad == "CN-US" else 0)
            date = f"{min(year, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            source = sources / f"s{number:03d}.txt"
            source.write_text(_text(rng, dyad, kind, outlet, words), encoding="utf-8")
            add_statements([source], data_dir=folder, date=date, parties=parties, kind=kind,
                           outlet=outlet or None, title=f"{dyad} statement {i + 1}", id=f"{dyad.lower()}-{i + 1:02d}")  # fmt: skip
            number += 1
    return folder
