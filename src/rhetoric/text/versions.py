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

__all__ = ["chosen_versions", "declared_versions", "originals", "version_problems"]


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
        and one document per statement with versions.
    """
    original_of = originals(declared_versions(documents))
    languages = dict(zip(documents["id"].astype(str), documents["language"].astype(str),
                         strict=True)) if "language" in documents else {}  # fmt: skip
    members: dict[str, list[str]] = {}
    for doc, original in original_of.items():
        members.setdefault(original, []).append(doc)
    keep = set()
    for original, docs in members.items():
        in_language = [d for d in docs if language and languages.get(d, "en") == language]
        keep.add(original if original in in_language or not in_language else in_language[0])
    return [doc for doc in original_of if doc in keep]
