""":mod:`rhetoric.measures.sensitivity`: does a verdict survive other reasonable corpora?

A comparison of two groups rests on choices a reader may not share: which near-duplicates
count once, whether the statements themselves or the news coverage of them carry a theme,
and whether one event (one summit, one much-quoted statement) carries the whole
difference. :func:`sensitivity` re-runs :func:`rhetoric.measures.rates.compare_groups` for
each theme under those alternatives and says whether the verdict holds:

- **reprints kept**: every copy counted (the analysis drops all but one of each cluster);
- **primary texts only** and **coverage only** (:mod:`rhetoric.data.kinds`);
- **each event left out in turn** (:mod:`rhetoric.measures.events`; the events with most
  documents first, up to ``max_events``).

A directional verdict (``a_higher`` / ``b_higher``) that any alternative changes is
**fragile**: report it with the alternative that undoes it, or not at all. An alternative
that leaves too few units to test, or too little power to find even a doubling
(``too_few_units``, ``underpowered``), says nothing either way and is named in the reading;
one that tests and finds the opposite, no clear difference, or one or two units carrying it
undoes the finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus
from rhetoric.errors import RhetoricInputError
from rhetoric.measures.inference import PERMUTATIONS

__all__ = ["DIRECTIONAL", "sensitivity"]

#: The verdicts that state a finding.
DIRECTIONAL = ("a_higher", "b_higher")


def _verdicts(corpus: Corpus | None, options: dict, missing: str = "not run") -> pd.Series | str:
    """Verdict per theme, or why there is none (``missing`` without a corpus; a variant that
    left a group empty)."""
    from rhetoric.measures.rates import compare_groups

    if corpus is None:
        return missing
    try:
        table = compare_groups(corpus, **options)
    except RhetoricInputError as error:
        return f"no comparison ({error})"
    return table.set_index("theme")["verdict"]


def _subset(corpus: Corpus, keep: np.ndarray) -> Corpus | None:
    ids = corpus.documents["id"].astype(str).to_numpy()[keep]
    if not len(ids):
        return None
    try:
        return corpus.select(ids=list(ids))
    except RhetoricInputError:
        return None


def sensitivity(
    corpus: Corpus,
    *,
    a: str,
    b: str,
    by: str = "dyad",
    kept: Corpus | None = None,
    population: Corpus | None = None,
    kept_population: Corpus | None = None,
    permutations: int = PERMUTATIONS,
    max_events: int = 30,
    **options,
) -> pd.DataFrame:
    """Each theme's verdict in the analysed corpus and under the alternatives of the module
    docstring, and whether a finding is fragile.

    Parameters
    ----------
    corpus : Corpus
        The analysed corpus (reprints dropped, as the analysis uses it).
    a, b, by : str
        The comparison (:func:`rhetoric.measures.rates.compare_groups`).
    kept : Corpus, optional
        The same corpus with every reprint kept (``process_corpus(..., reprints="keep")``);
        None: that alternative is "not run".
    population : Corpus, optional
        The corpus before a ``where`` filter (events are inferred on it).
    kept_population : Corpus, optional
        ``kept`` before the ``where`` filter.
    permutations : int, default 9999
        Relabellings of every run, as a single comparison's.
    max_events : int, default 30
        Leave out at most this many events, those with most documents in the two groups.
    **options
        Passed on to every ``compare_groups`` call (``voice``, ``seed``, ``unit``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per theme (themes.yml order): ``theme``, ``verdict`` (in the analysed
        corpus, with ``permutations``), ``reprints_kept``, ``primary_only``,
        ``coverage_only`` (the verdict under each, or why there is none: "not run" without
        ``kept``, "no documents", "no comparison (...)"), ``events_left_out``
        (how many were), ``flips_without`` (the events whose removal changes the verdict,
        "; "-joined), ``fragile`` (a directional verdict that some alternative changes)
        and ``reading`` (one sentence).
    """
    from rhetoric.measures.events import document_units

    base_options = {"a": a, "b": b, "by": by, "permutations": permutations, **options}
    base = _verdicts(corpus, {**base_options, "population": population})
    if isinstance(base, str):
        raise RhetoricInputError(f"a={a!r}, b={b!r}: {base}")
    resolved_a, resolved_b = corpus.resolve_group(by, a), corpus.resolve_group(by, b)
    groups = corpus.groups(by).to_numpy()
    compared = np.isin(groups, [resolved_a, resolved_b])
    primary = np.asarray([corpus.kinds.is_primary(str(k)) for k in corpus.documents["kind"]])
    whole = {**base_options, "population": population if population is not None else corpus}
    variants = {
        "reprints_kept": _verdicts(kept, {**base_options, "population": kept_population}),
        "primary_only": _verdicts(_subset(corpus, ~compared | primary), whole, "no documents"),
        "coverage_only": _verdicts(_subset(corpus, ~compared | ~primary), whole, "no documents"),
    }
    keys, _unit = document_units(corpus, unit="event", population=population)
    sizes = pd.Series(keys[compared]).value_counts(sort=False)
    order = sorted(sizes.index, key=lambda e: (-sizes[e], str(e)))[:max_events]
    flips: dict[str, list[str]] = {theme: [] for theme in base.index}
    for event in order:
        without = _verdicts(_subset(corpus, keys != event), whole)
        if isinstance(without, str):
            continue
        for theme in base.index:
            if base[theme] in DIRECTIONAL and _undoes(without.get(theme, ""), base[theme]):
                flips[theme].append(str(event))
    rows = []
    for theme, verdict in base.items():
        others = {name: v if isinstance(v, str) else v.get(theme, "—")
                  for name, v in variants.items()}  # fmt: skip
        changed = [name for name, v in others.items() if _undoes(v, verdict)]
        fragile = verdict in DIRECTIONAL and bool(changed or flips[theme])
        rows.append({"theme": theme, "verdict": verdict, **others,
                     "events_left_out": len(order), "flips_without": "; ".join(flips[theme]),
                     "fragile": fragile,
                     "reading": _reading(verdict, changed, flips[theme], others, len(order))})  # fmt: skip
    return pd.DataFrame(rows)


def _undoes(variant: str, verdict: str) -> bool:
    """Whether a variant's verdict differs from ``verdict`` as a tested outcome: a variant
    too small to test (``too_few_units``, or ``underpowered``: it could not have found even a
    doubling) or not run says nothing either way."""
    untested = ("too_few_units", "underpowered", "not run", "no documents", "no comparison")
    return variant != verdict and not variant.startswith(untested)


def _reading(verdict: str, changed: list[str], flips: list[str], others: dict, events: int) -> str:
    names = {"reprints_kept": "with reprints kept", "primary_only": "in primary texts only",
             "coverage_only": "in coverage only"}  # fmt: skip
    if verdict not in DIRECTIONAL:
        found = [f"{names[n]} ({others[n]})" for n in changed if others[n] in DIRECTIONAL]
        if found:
            return "no finding here, but one appears " + ", ".join(found) + ": look closer"
        return "no finding, and none appears in the alternatives"
    if not changed and not flips:
        untested = [f"{names[n]} ({v})" for n, v in others.items() if v != verdict]
        held = f"holds with reprints kept, by kind, and without each of {events} events"
        return held + (f"; not testable {', '.join(untested)}" if untested else "")
    parts = [f"{names[n]} it is {others[n]}" for n in changed]
    if flips:
        parts.append(f"without event {flips[0]}" + (f" (and {len(flips) - 1} more)"
                                                    if len(flips) > 1 else "") + " it changes")  # fmt: skip
    return "fragile: " + "; ".join(parts)
