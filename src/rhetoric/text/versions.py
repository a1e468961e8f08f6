""":mod:`rhetoric.text.versions`: the language versions of one statement, and which one counts.

A Russia–China joint statement is issued in Russian and in Chinese; a US–Russia one in
English and Russian; news agencies add translations. corpus.csv's ``version_of`` column
(or ``version_of:`` in a statement's front matter) links a version to its original by id.
The original and its versions are one *statement*: they share its event
(:mod:`rhetoric.measures.events`), and an analysis counts the statement once, never each
version as a document of its own:

- by default, the original (the document that is a version of none);
- with a chosen language (``--language``, the notebooks' ``language`` parameter), the
  statement's version in that language where it has one (the original when it is in that
  language itself), else the original.

A version of a version belongs to the same original. ``rhetoric versions ID`` aligns two
versions sentence by sentence (:mod:`rhetoric.measures.versions`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["chosen_versions", "declared_versions", "originals", "statements", "version_problems"]


def declared_versions(documents: pd.DataFrame) -> dict[str, str]:
    """Each document's ``version_of`` as corpus.csv declares it, by id ("" for none).

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents (``id``, and ``version_of`` when corpus.csv has that column).

    Returns
    -------
    dict of str to str
        Id -> the id it is a version of, or "", in corpus order.
    """
    ids = documents["id"].astype(str).tolist()
    if "version_of" not in documents:
        return dict.fromkeys(ids, "")
    values = ["" if pd.isna(v) else str(v).strip() for v in documents["version_of"]]
    return dict(zip(ids, values, strict=True))


def version_problems(declared: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with the ``version_of`` links, by document: a target that is not
    another document of the corpus, or links that go round in a circle.

    Parameters
    ----------
    declared : mapping of str to str
        Id -> the id it is a version of, or "" (:func:`declared_versions`).

    Returns
    -------
    dict of str to str
        Id -> one line saying what is wrong and how to fix it; empty when all is well.
    """
    problems = {}
    for doc, target in declared.items():
        if target and (target not in declared or target == doc):
            problems[doc] = (f"version_of {target[:60]!r} is not the id of another document "
                             "(give the id of the statement this text is a version of)")  # fmt: skip
    for doc in declared:
        seen, at = [doc], declared[doc]
        while at and at in declared and at not in seen:
            seen.append(at)
            at = declared[at]
        if at == doc and doc not in problems:
            problems[doc] = (f"version_of goes round in a circle ({' -> '.join([*seen, doc])}); "
                             "one of them is the original (leave its version_of empty)")  # fmt: skip
    return problems


def originals(declared: Mapping[str, str]) -> dict[str, str]:
    """The original of every document: itself, or the end of its ``version_of`` chain.

    Parameters
    ----------
    declared : mapping of str to str
        Id -> the id it is a version of, or "" (:func:`declared_versions`). A link to an
        id that is not in ``declared`` (an original left out of an analysis in another
        language) ends there: that id is the original. A chain that comes back to a
        document it passed (refused by ``rhetoric validate``) ends before it.

    Returns
    -------
    dict of str to str
        Id -> the id of its statement's original, in the order of ``declared``.
    """
    result = {}
    for doc in declared:
        at, seen = doc, {doc}
        while declared.get(at) and declared[at] not in seen:
            at = declared[at]
            seen.add(at)
        result[doc] = at
    return result


def statements(documents: pd.DataFrame) -> tuple[list[str], list[str]]:
    """For each document, the statement it is a version of, and that statement's event.

    A ``version_of`` that names a reprint (corpus.csv's ``reprint_of`` after the reprint
    rule: the canonical copy) is read as naming its canonical copy, which stands for the
    statement when reprints are counted once.

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents with reprints marked (``id``, ``version_of``, ``reprint_of``, and
        ``event`` when declared), every document there: before any is left out. A table
        that has the ``statement`` and ``statement_event`` columns
        :func:`rhetoric.pipeline.process_corpus` sets from this function gives them back.

    Returns
    -------
    statement : list of str
        Per document, in order: the id of its statement's original (the document itself
        for an original with versions; a reprint of the original or of a version belongs to
        the statement too); "" for a document in no statement with versions.
    event : list of str
        Per document: the first ``event`` declared among its statement's documents, the
        original's first; "" when none declares one, or when the document is in no
        statement with versions.
    """
    if "statement" in documents and "statement_event" in documents:  # worked out already
        return (documents["statement"].astype(str).tolist(),
                documents["statement_event"].astype(str).tolist())  # fmt: skip
    ids = documents["id"].astype(str).tolist()
    canonical = (dict(zip(ids, documents["reprint_of"].astype(str), strict=True))
                 if "reprint_of" in documents else {})  # fmt: skip
    declared = {doc: canonical.get(t) or t for doc, t in declared_versions(documents).items()}
    original_of = originals(declared)
    grouped = {o for d, o in original_of.items() if o != d}
    group_of = {d: original_of[d] if original_of[d] in grouped else "" for d in ids}
    # a reprint cluster belongs to the statement of any member: a copy of a version or of the
    # original, and the canonical copy that a version or the original is a reprint of
    for doc in ids:
        copy_of = canonical.get(doc) or ""
        if copy_of in group_of and group_of[doc] and not group_of[copy_of]:
            group_of[copy_of] = group_of[doc]
    statement = [group_of[d] or group_of.get(canonical.get(d) or "", "") for d in ids]
    events = (["" if pd.isna(v) else str(v).strip() for v in documents["event"]]
              if "event" in documents else [""] * len(ids))  # fmt: skip
    first: dict[str, str] = {}
    for _doc, group, event in sorted(
        zip(ids, statement, events, strict=True), key=lambda row: row[0] != row[1]
    ):  # the original first
        if group and event:
            first.setdefault(group, event)
    return statement, [first.get(group, "") for group in statement]


def chosen_versions(documents: pd.DataFrame, language: str | None = None) -> list[str]:
    """The documents an analysis counts: one version of each statement (module docstring).

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents (``id``, ``language``, and ``version_of`` when declared).
    language : str, optional
        The language to count statements in (an ISO 639 code); None: the originals.

    Returns
    -------
    list of str
        The ids kept, in corpus order: every document that is no version and has none,
        and one document per statement with versions (with its reprints, when they are
        still there: ``reprints="keep"``).
    """
    ids = documents["id"].astype(str).tolist()
    group_of = dict(zip(ids, statements(documents)[0], strict=True))
    languages = dict(zip(ids, documents["language"].astype(str),
                         strict=True)) if "language" in documents else {}  # fmt: skip
    members: dict[str, list[str]] = {}
    for doc in ids:
        members.setdefault(group_of[doc] or doc, []).append(doc)
    copies = (dict(zip(ids, documents["reprint_of"].astype(str), strict=True))
              if "reprint_of" in documents else {})  # fmt: skip
    keep = set()
    for original, docs in members.items():
        in_language = [d for d in docs if language and languages.get(d, "en") == language]
        in_language.sort(key=lambda d: bool(copies.get(d)))  # a canonical copy before a reprint
        if original in in_language or (not in_language and original in docs):
            keep.add(original)
        else:
            keep.add((in_language or docs)[0])
    return [doc for doc in ids if doc in keep or copies.get(doc) in keep]
