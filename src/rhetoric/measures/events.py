""":mod:`rhetoric.measures.events`: the events behind the documents, a statement and its coverage.

A corpus of diplomatic framing is not a flat list of independent documents. A
joint statement is issued, a dozen outlets report it, quote it, reprint each
other; a month later another statement. Counted as independent, the coverage of
one event can supply most of a group's documents, and one quoted sentence most of
its hits. This module gives every document an *event* (the unit that later
statistics can resample), by these rules, in order:

1. **declared**: corpus.csv's ``event`` column (any text); documents with the same
   value share an event;
2. **version**: a language version of a statement (corpus.csv's ``version_of``,
   :mod:`rhetoric.text.versions`) shares the event of its original;
   **primary**: any other primary text (:mod:`rhetoric.data.kinds`) is the centre of its
   own event, named by its id;
3. **reprint**: a reprint joins the event of its canonical document
   (:mod:`rhetoric.text.reprints`);
4. **reuse**: coverage that reproduces a primary text of its dyad
   (:func:`rhetoric.measures.reuse.find_reuse`, in time) joins the event of the one it
   reproduces most words of;
5. **date**: other coverage joins the latest primary text of its dyad dated at most
   :data:`EVENT_DAYS` days before it (or the day after it: time zones);
6. **coverage**: coverage of a dyad with no such primary text in the corpus forms
   events by date: an article dated at most :data:`COVERAGE_GAP_DAYS` after the
   previous one of its dyad joins its event, named ``<dyad>-<first date>``.

Each link says how it was made (``how``), so that a reader can check it and
declare an ``event`` where the rules are wrong.
"""

from __future__ import annotations

import datetime as dt
import weakref

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus
from rhetoric.errors import RhetoricInputError
from rhetoric.text.versions import statements

__all__ = [
    "COVERAGE_GAP_DAYS",
    "EVENT_DAYS",
    "UNITS",
    "document_events",
    "document_units",
    "event_dominance",
    "events",
]

#: Coverage joins a primary text of its dyad dated at most this many days before it.
EVENT_DAYS = 7
#: Coverage without a primary text joins the event of its dyad's previous article when dated
#: at most this many days after it.
COVERAGE_GAP_DAYS = 3
#: An article may be dated this many days before the primary text it covers (time zones).
_TOLERANCE = 1
EVENT_COLUMNS = ["id", "event", "how", "dyad", "kind", "date"]
#: What a group statistic may take as its unit: ``auto`` (events when some event has
#: several of the compared documents, else documents), ``event`` or ``document``.
UNITS = ("auto", "event", "document")


def _day(date: object) -> int | None:
    try:
        return dt.date.fromisoformat(str(date)[:10]).toordinal()
    except ValueError:
        return None


def _declared(documents: pd.DataFrame) -> list[str]:
    if "event" not in documents:
        return [""] * len(documents)
    return ["" if pd.isna(v) else str(v).strip() for v in documents["event"]]


def _reused(corpus: Corpus) -> dict[str, str]:
    """Coverage id -> the primary text it reproduces most words of (in time)."""
    from rhetoric.measures.reuse import find_reuse

    passages = find_reuse(corpus)
    if passages.empty:
        return {}
    words = passages.groupby(["article", "statement"], sort=False)["words"].sum()
    order = {d: n for n, d in enumerate(corpus.documents["id"])}
    best: dict[str, tuple[int, int, str]] = {}
    for (article, statement), count in words.items():
        key = (int(count), -order[statement], statement)
        if key > best.get(article, (-1, 0, "")):
            best[article] = key
    return {article: key[2] for article, key in best.items()}


def _nearest_primary(day: int | None, candidates: list[tuple[int, int, str]]) -> str | None:
    """The latest primary text (day, corpus order, id) dated at most EVENT_DAYS before ``day``
    or the day after it."""
    if day is None:
        return None
    near = [c for c in candidates if day - EVENT_DAYS <= c[0] <= day + _TOLERANCE]
    return max(near, key=lambda c: (c[0], -c[1]))[2] if near else None


def document_events(corpus: Corpus, population: Corpus | None = None) -> pd.DataFrame:
    """The event of every document, and how it was linked (module docstring).

    A declared ``event`` that is the id of a document means that document's event (an
    article declaring ``event: s1`` joins the event ``s1`` belongs to, declared or not).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`); its ``reprint_of`` and
        ``kinds`` are used, and corpus.csv's ``event`` column when it has one.
    population : Corpus, optional
        The corpus before a ``where`` filter made ``corpus`` (events are inferred on the
        whole, so that a filter does not change which event a document belongs to);
        None: ``corpus`` itself.

    Returns
    -------
    pandas.DataFrame
        One row per document, in corpus order: ``id``, ``event``, ``how``
        (``declared``, ``version``, ``primary``, ``reprint``, ``reuse``, ``date`` or
        ``coverage``),
        ``dyad``, ``kind``, ``date``.
    """
    if population is not None and population is not corpus:
        whole = document_events(population)
        return whole[whole["id"].isin(set(corpus.documents["id"]))].reset_index(drop=True)
    known = _INFERRED.get(id(corpus))
    if known is not None and known[0]() is corpus:
        return known[1].copy()
    frame = _infer_events(corpus)
    key = id(corpus)
    _INFERRED[key] = (weakref.ref(corpus, lambda _gone, key=key: _INFERRED.pop(key, None)),
                      frame)  # fmt: skip
    return frame.copy()


#: Events inferred per corpus object (a :class:`Corpus` is frozen): a comparison, its
#: sensitivity variants and a notebook's several tables infer them on the same population
#: once, not once each (the reuse alignment is most of a comparison's time). An entry goes
#: when its corpus does.
_INFERRED: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def _infer_events(corpus: Corpus) -> pd.DataFrame:
    """:func:`document_events` of ``corpus`` itself, inferred."""
    documents = corpus.documents
    ids = documents["id"].astype(str).tolist()
    kinds = documents["kind"].astype(str).tolist()
    dyads = documents["dyad"].astype(str).tolist()
    dates = documents["date"].astype(str).tolist()
    days = [_day(d) for d in dates]
    declared = _declared(documents)
    canonical = dict(zip(ids, documents["reprint_of"].astype(str), strict=True)) \
        if "reprint_of" in documents else {}  # fmt: skip
    group, group_event = statements(documents)
    present = set(ids)
    event: dict[str, tuple[str, str]] = {}
    primaries: dict[str, list[tuple[int, int, str]]] = {}
    for n, doc in enumerate(ids):
        if declared[n]:
            event[doc] = (declared[n], "declared")
        elif group[n] and group[n] != doc and (group[n] in present
                                                 or corpus.kinds.is_primary(kinds[n])):  # fmt: skip
            # named by its original (followed below if it is here); a version of coverage
            # whose original is left out is placed by the rules below, like other coverage
            how = "reprint" if canonical.get(doc) else "version"
            event[doc] = (group_event[n] or group[n], how)
        elif group[n] and group_event[n]:  # an original whose version declares the event
            event[doc] = (group_event[n], "declared")
        elif corpus.kinds.is_primary(kinds[n]) and not canonical.get(doc):
            event[doc] = (doc, "primary")
        if corpus.kinds.is_primary(kinds[n]) and days[n] is not None:
            primaries.setdefault(dyads[n], []).append((days[n], n, doc))
    coverage = any(not corpus.kinds.is_primary(k) for k in kinds)
    reused = _reused(corpus) if primaries and coverage else {}  # reuse aligns coverage only
    for n, doc in enumerate(ids):
        if doc in event or canonical.get(doc):
            continue
        statement = reused.get(doc)
        if statement is not None:
            event[doc] = (_event_of(event, canonical, statement), "reuse")
            continue
        nearest = _nearest_primary(days[n], primaries.get(dyads[n], []))
        if nearest is not None:
            event[doc] = (_event_of(event, canonical, nearest), "date")
    _coverage_events(event, ids, dyads, days, dates, canonical)
    for doc in ids:  # a reprint shares its canonical's event (canonicals are never reprints)
        if doc not in event:
            first = canonical.get(doc, "")
            event[doc] = (event[first][0] if first in event else doc, "reprint")
    _follow_declared(event)
    return pd.DataFrame({"id": ids, "event": [event[d][0] for d in ids],
                         "how": [event[d][1] for d in ids],
                         "dyad": dyads, "kind": kinds, "date": dates}, columns=EVENT_COLUMNS)  # fmt: skip


def _follow_declared(event: dict[str, tuple[str, str]]) -> None:
    """A declared event that is a document's id becomes that document's event (followed
    along a chain, never round a circle)."""
    for doc, (name, how) in list(event.items()):
        seen = {doc}
        while name in event and name not in seen and event[name][0] != name:
            seen.add(name)
            name = event[name][0]
        event[doc] = (name, how)


def _event_of(event: dict, canonical: dict, primary: str) -> str:
    """The event of a primary text (declared, or its own; a reprint's: its canonical's)."""
    if primary in event:
        return event[primary][0]
    first = canonical.get(primary, "")
    return event[first][0] if first in event else primary


def _coverage_events(event, ids, dyads, days, dates, canonical) -> None:
    """Rule 6: coverage without an event yet, grouped by dyad and date (in ``event``)."""
    loose = [n for n, doc in enumerate(ids) if doc not in event and not canonical.get(doc)]
    by_dyad: dict[str, list[int]] = {}
    for n in loose:
        by_dyad.setdefault(dyads[n], []).append(n)
    taken = {e for e, _how in event.values()}
    for dyad, members in by_dyad.items():
        members.sort(key=lambda n: (days[n] if days[n] is not None else -1, n))
        current, previous = None, None
        for n in members:
            if (
                current is None
                or days[n] is None
                or previous is None
                or (days[n] - previous > COVERAGE_GAP_DAYS)
            ):
                base = f"{dyad.lower()}-{dates[n][:10]}"
                current, k = base, 2
                while current in taken:
                    current, k = f"{base}-{k}", k + 1
                taken.add(current)
            event[ids[n]] = (current, "coverage")
            previous = days[n]


def events(corpus: Corpus, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per event: its dyad, dates, primary texts, and its coverage by kind, outlet
    and link.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    documents : pandas.DataFrame, optional
        :func:`document_events` of ``corpus`` (computed when not given).

    Returns
    -------
    pandas.DataFrame
        Columns ``event``, ``dyad`` (``;``-joined when an event was declared across
        dyads), ``first_date``, ``last_date``, ``documents``, ``primary`` (the primary
        texts' ids, ``;``), ``coverage`` (documents that are not primary texts), and of
        the coverage ``kinds`` and ``outlets`` (``name count`` pairs, ``;``, most first),
        ``links`` (``how count`` pairs, of every document); events with the most
        documents first, then by first date.
    """
    linked = document_events(corpus) if documents is None else documents
    outlets = dict(zip(corpus.documents["id"], corpus.documents["outlet"].astype(str),
                       strict=True))  # fmt: skip
    rows = []
    for name, part in linked.groupby("event", sort=False):
        primary = part["kind"].map(corpus.kinds.is_primary).to_numpy(dtype=bool)
        cover = part[~primary]
        rows.append({
            "event": name, "dyad": ";".join(sorted(set(part["dyad"]))),
            "first_date": part["date"].min(), "last_date": part["date"].max(),
            "documents": len(part), "primary": ";".join(part.loc[primary, "id"]),
            "coverage": len(cover),
            "kinds": "; ".join(f"{k} {n}" for k, n in cover["kind"].value_counts().items()),
            "outlets": "; ".join(f"{k} {n}" for k, n in cover["id"].map(outlets)
                                 .replace("", "(no outlet)").value_counts().items()),
            "links": "; ".join(f"{k} {n}" for k, n in part["how"].value_counts().items()),
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=["event", "dyad", "first_date", "last_date", "documents",
                                        "primary", "coverage", "kinds", "outlets", "links"])  # fmt: skip
    return table.sort_values(["documents", "first_date", "event"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)  # fmt: skip


def event_dominance(
    corpus: Corpus, by: str = "dyad", documents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """For each group: its largest event's share of the group's documents and of its theme
    hits, so that a reader sees when one event supplies most of a group.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    by : str, default "dyad"
        The document variable whose groups are compared (:meth:`Corpus.groups`).
    documents : pandas.DataFrame, optional
        :func:`document_events` of ``corpus`` (computed when not given).

    Returns
    -------
    pandas.DataFrame
        One row per group (in :meth:`Corpus.groups` order): ``group``, ``events``,
        ``documents``, ``largest_event``, ``event_documents`` (its documents in the
        group), ``document_share``, ``hits`` (theme hits of the group), ``event_hits``,
        ``hit_share`` (NaN without hits).
    """
    linked = document_events(corpus) if documents is None else documents
    event_of = dict(zip(linked["id"], linked["event"], strict=True))
    groups = corpus.groups(by)
    hits = corpus.hits["document"].astype(str).value_counts()
    rows = []
    for group in pd.unique(groups):
        members = groups.index[groups == group].astype(str).tolist()
        of = pd.Series([event_of[d] for d in members], index=members)
        counts = of.value_counts(sort=False)
        largest = counts.idxmax()
        mine = [d for d in members if event_of[d] == largest]
        total_hits = int(sum(hits.get(d, 0) for d in members))
        event_hits = int(sum(hits.get(d, 0) for d in mine))
        rows.append((group, len(counts), len(members), largest, len(mine),
                     len(mine) / len(members), total_hits, event_hits,
                     event_hits / total_hits if total_hits else np.nan))  # fmt: skip
    return pd.DataFrame(rows, columns=["group", "events", "documents", "largest_event",
                                       "event_documents", "document_share", "hits",
                                       "event_hits", "hit_share"])  # fmt: skip


def document_units(
    corpus: Corpus,
    *,
    unit: str = "auto",
    population: Corpus | None = None,
    among: np.ndarray | None = None,
) -> tuple[np.ndarray, str]:
    """The unit of every document for a group statistic: its event or itself.

    Documents of one event (a statement, its reprints, the articles quoting it) are not
    independent: counted as separate units they make a group look larger and more
    certain than it is. With events as the unit, a group's hits and tokens are summed per
    event, and tests permute and resample events. An event whose documents fall in two
    compared groups gives one unit in each (its parts are not independent either; the
    outputs say how many events do so).

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (:class:`rhetoric.corpus.Corpus`).
    unit : {"auto", "event", "document"}, default "auto"
        ``auto``: events when an event has two or more of the documents ``among``,
        else documents (the same numbers, and the simpler word).
    population : Corpus, optional
        The corpus a ``where`` filter made ``corpus`` from (events are inferred on the
        whole: :func:`document_events`).
    among : numpy.ndarray of bool, optional
        The compared documents (corpus order), for ``auto``; None: every document.

    Returns
    -------
    keys : numpy.ndarray of str
        One key per document, in corpus order: its event, or its id.
    unit : str
        ``event`` or ``document``: what the keys are.
    """
    if unit not in UNITS:
        raise RhetoricInputError(f"unit={unit!r}: use one of {', '.join(UNITS)}",
                                 parameters=("unit",))  # fmt: skip
    ids = corpus.documents["id"].astype(str).to_numpy()
    if unit == "document":
        return ids.astype(object), "document"
    linked = document_events(corpus, population)
    event_of = dict(zip(linked["id"].astype(str), linked["event"].astype(str), strict=True))
    keys = np.asarray([event_of[d] for d in ids], dtype=object)
    if unit == "auto":
        chosen = keys if among is None else keys[np.asarray(among, dtype=bool)]
        if len(set(chosen)) == len(chosen):
            return ids.astype(object), "document"
    return keys, "event"
