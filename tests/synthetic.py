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


def _data_folder(folder: Path) -> Path:
    """A new data directory ``folder`` with an empty corpus.csv and the project's YAML files,
    and beside it the folder for the texts to add; returns that folder."""
    folder.mkdir(parents=True)
    (folder / "raw").mkdir()
    (folder / "corpus.csv").write_text(
        "id,file,title,date,parties,kind,outlet,url,language,sha256\n", encoding="utf-8"
    )
    for name in (paths.THEMES_FILE, paths.BOILERPLATE_FILE, paths.PARTIES_FILE):
        shutil.copy(paths.DATA_DIR / name, folder / name)
    sources = folder.parent / f"{folder.name}-sources"
    sources.mkdir()
    return sources


def write_synthetic_corpus(folder: Path, *, seed: int = 20251122, scale: int = 1) -> Path:
    """Write the corpus into a new data directory ``folder`` (project YAML files copied)."""
    rng = random.Random(seed)
    sources = _data_folder(folder)
    with (folder / paths.THEMES_FILE).open(
        "a", encoding="utf-8"
    ) as themes:  # a theme that never matches
        themes.write(
            "\nspace:\n  label: Outer space\n  description: Cooperation beyond the atmosphere.\n"
            "  terms: [outer space, lunar station]\n"
        )
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


#: Outlets of the newsroom corpus: many, some alike ("TASS", "TASS Russian News Agency"), one
#: in lower case, as a real collection has them.
NEWSROOM_OUTLETS = [
    "Reuters", "Associated Press", "AFP", "TASS", "TASS Russian News Agency", "RIA Novosti",
    "Interfax", "Xinhua", "Xinhua News Agency", "Global Times", "China Daily", "CGTN",
    "South China Morning Post", "The Moscow Times", "Meduza", "Kommersant", "RT", "Sputnik",
    "The New York Times", "The Washington Post", "Wall Street Journal", "Bloomberg",
    "The Guardian", "BBC News", "Deutsche Welle", "Al Jazeera", "the Diplomat",
    "Foreign Policy", "Politico", "NPR", "CNN", "Fox News", "The Hill", "Nikkei Asia",
    "The Hindu", "Anadolu Agency", "Euronews", "Radio Free Europe", "Voice of America",
    "Japan Times", "Korea Herald", "Straits Times", "Financial Times", "The Economist",
]  # fmt: skip
#: Events of the newsroom corpus: (dyad, parties, date, the statement's title, articles).
NEWSROOM_EVENTS = [
    ("RU-US", "US;RU", "2010-04-25", "Joint statement on the 65th anniversary of the Elbe meeting", 6),
    ("RU-US", "US;RU", "2020-04-25", "Joint statement by Presidents Trump and Putin on the Elbe", 10),
    ("RU-US", "US;RU", "2021-06-16", "U.S.-Russia presidential joint statement on strategic stability", 6),
    ("CN-RU", "RU;CN", "2019-06-05", "Joint statement on developing a comprehensive partnership", 6),
    ("CN-RU", "RU;CN", "2022-02-04", "Joint statement on international relations entering a new era", 8),
    ("CN-RU", "RU;CN", "2025-05-08", "Joint statement on deepening the comprehensive strategic partnership", 7),
    ("CN-US", "US;CN", "2021-11-16", "Readout of the virtual meeting between the presidents", 5),
]  # fmt: skip
NEWSROOM_TITLES = [
    "{a} and {b} sign joint statement", "{a}, {b} hail partnership in joint statement",
    "Leaders issue joint statement", "{a} and {b} pledge trust on anniversary",
    "What the joint statement says", "{a}-{b} statement: full coverage",
]  # fmt: skip
_NAMES = {"US": "Washington", "RU": "Moscow", "CN": "Beijing"}


def _cut(rng: random.Random, text: str) -> str:
    """An article's copy of a text: house style (``U.S.`` or ``US``), its last paragraphs
    cut at random, a sign-off of its own."""
    paragraphs = text.strip().split("\n\n")
    kept = paragraphs[: max(1, len(paragraphs) - rng.randint(0, 2))]
    body = "\n\n".join(kept)
    return body.replace("U.S.", "US") if rng.random() < 0.5 else body


def write_newsroom_corpus(folder: Path, *, seed: int = 1945) -> Path:
    """A messy 56-document collection as real coverage is: seven statements (three US–Russia,
    three Russia–China, one US–China), each reported by 5–10 articles of many outlets that
    quote it, on its day or a day or two after, under titles that repeat ("Leaders issue
    joint statement"); long ids that begin alike; one wire story printed by two outlets in
    two house styles with a cut ending; and one 1972 US statement outside the compared
    groups. Seeded: the same call writes the same bytes."""
    rng = random.Random(seed)
    sources = _data_folder(folder)
    outlets = iter(rng.sample(NEWSROOM_OUTLETS, len(NEWSROOM_OUTLETS)) * 3)

    def add(text, **row):
        source = sources / f"{row['id']}.txt"
        source.write_text(text, encoding="utf-8")
        add_statements([source], data_dir=folder, **row)

    add(_text(rng, "US", "joint_statement", "", 400), date="1972-05-29", parties="US",
        kind="joint_statement", outlet="White House", title="Statement on basic principles",
        id="1972-05-29-us-statement-on-basic-principles-of-relations")  # fmt: skip
    for dyad, parties, date, title, articles in NEWSROOM_EVENTS:
        a, b = (_NAMES[p] for p in parties.split(";"))
        stem = f"{date}-{dyad.lower()}-joint-statement"
        statement = _text(rng, dyad, "joint_statement", "", rng.choice([900, 1500, 2400]))
        add(statement, date=date, parties=parties, kind="joint_statement", outlet="Kremlin"
            if "RU" in parties else "White House", title=title, id=f"{stem}-full-text")  # fmt: skip
        quoted = statement.strip().split("\n\n")
        wire = None
        for number in range(articles):
            outlet = next(outlets)
            own = _text(rng, dyad, "news_article", outlet, rng.choice([150, 300, 600, 1200]))
            taken = rng.sample(quoted, min(len(quoted), rng.randint(2, 5)))
            text = own + "\n\n" + "\n\n".join(f'"{p.rstrip(".")}," the statement said.'
                                               for p in taken)  # fmt: skip
            if number == 1:
                wire = text
            if number == 2 and wire is not None:  # the wire story, in another house style
                text = _cut(rng, wire)
            day = int(date[-2:]) + rng.choice([0, 0, 1, 1, 2])
            add(text, date=f"{date[:-2]}{min(day, 28):02d}", parties=parties,
                kind="news_article", outlet=outlet,
                title=rng.choice(NEWSROOM_TITLES).format(a=a, b=b),
                id=f"{stem}-{outlet.lower().replace(' ', '-')}-coverage")  # fmt: skip
    return folder
