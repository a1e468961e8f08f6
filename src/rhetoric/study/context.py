""":mod:`rhetoric.study.context`: what the notebooks call, so that they stay thin.

A notebook opens the study once with its parameters::

    study = open_study("02_term_frequencies", data_dir=data_dir, figures_dir=figures_dir,
                       group_a=group_a, group_b=group_b)

and then asks it for tables and figures. :meth:`Study.save` writes a figure
for papers (PDF, SVG, PNG + manifest) and shows its caption. Everything a
notebook prints is deterministic and free of absolute paths, so executed
notebooks are byte-stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import html
import math
import os
from pathlib import Path
import re

import numpy as np
import pandas as pd

from rhetoric.corpus import Corpus, parse_where
from rhetoric.data.folder import corpus_fingerprint
from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.pipeline import process_corpus
from rhetoric.store import paths
from rhetoric.study import plots
from rhetoric.study.figures import save_figure
from rhetoric.study.plots import dyad_colors, figure_of, use_style
from rhetoric.text.reprints import (
    DEFAULT_CONTAINMENT,
    DEFAULT_DAYS,
    DEFAULT_THRESHOLD,
    ReprintRule,
)

__all__ = [
    "VERDICT_WORDS",
    "Study",
    "check_parameters",
    "coverage",
    "escape",
    "event_note",
    "findings",
    "fmt_interval",
    "group_mix",
    "heading",
    "limits",
    "open_study",
    "reprint_rule",
]


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~-])")


def escape(text: str) -> str:
    """Text from user files (titles, outlets, labels, captions) made plain inside Markdown and
    HTML: Markdown punctuation backslash-escaped (no link, image, emphasis or heading can
    start), then & < > as HTML entities.

    Parameters
    ----------
    text : str
        The text (any other value is converted with ``str``).

    Returns
    -------
    str
        The text with each Markdown punctuation character (backslash, backtick, ``*``,
        ``_``, braces, brackets, parentheses, ``#``, ``+``, ``!``, ``|``, ``~``, ``-``)
        preceded by a backslash, the colon of ``://`` too (a bare URL would become a live
        link in the HTML reports), then ``&``, ``<``, ``>`` as HTML entities (quotes kept).
    """
    plain = _MARKDOWN.sub(r"\\\1", str(text)).replace("://", r"\://")  # no bare-URL link
    return html.escape(plain, quote=False)


def fmt_interval(value: float, low: float, high: float, digits: int = 1) -> str:
    """``"9.9 (2.4–17.5)"``; ``"undefined (no tokens)"`` for a rate without tokens.

    Parameters
    ----------
    value : float
        The estimate; NaN (a rate without tokens) gives ``"undefined (no tokens)"``.
    low, high : float
        The interval's bounds.
    digits : int, default 1
        Decimal places of all three numbers.

    Returns
    -------
    str
        ``"value (low–high)"``, with an en dash between the bounds.
    """
    if pd.isna(value):
        return "undefined (no tokens)"
    return f"{value:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


@dataclass(frozen=True)
class Study:
    """One notebook's view of the study: the processed corpus and the notebook's parameters."""

    notebook: str
    corpus: Corpus
    data_dir: Path
    figures_dir: Path
    compare_by: str
    group_a: str
    group_b: str
    parameters: dict
    fingerprint: str
    notes: tuple[str, ...] = field(default=())
    #: The corpus before the ``where`` filter (events are inferred on it).
    population: Corpus | None = field(default=None, repr=False)
    #: How the corpus was made (``themes_file``, ``reprint_rule``, ``where``), to make it
    #: again with other choices (:func:`robustness`).
    source: dict = field(default_factory=dict, repr=False)

    # -- labels and colours --------------------------------------------------------
    @property
    def colors(self) -> dict[str, str]:
        """Colour of each dyad (and of each compared group), the same in every figure."""
        dyads = list(dict.fromkeys(self.corpus.documents["dyad"]))
        colors = dyad_colors(dyads, preferred=list(self.corpus.parties.dyad_labels))
        if self.compare_by != "dyad":
            palette = dyad_colors(
                [self.group_a, self.group_b], preferred=[self.group_a, self.group_b]
            )
            colors = {**palette, **colors}
        return colors

    @property
    def labels(self) -> dict[str, str]:
        """Readable label of each dyad of the corpus (parties.yml); other groups have none."""
        dyads = dict.fromkeys(self.corpus.documents["dyad"])
        return {d: self.corpus.parties.label(d) for d in dyads}

    def label(self, group: str) -> str:
        """Readable name of a group, for prose, tables and legends.

        Parameters
        ----------
        group : str
            A group of :attr:`compare_by` (a dyad code such as ``"RU-US"`` when comparing
            dyads).

        Returns
        -------
        str
            When the study compares dyads, the dyad's label from :attr:`labels` (``group``
            itself for a dyad not in the corpus); otherwise ``group`` unchanged.
        """
        return self.labels.get(group, group) if self.compare_by == "dyad" else group

    @property
    def theme_labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.corpus.themes}

    # -- saving --------------------------------------------------------------------
    def save(self, drawn, stem: str, caption: str, *, show: bool = True) -> None:
        """Save a figure for papers (``figures/<stem>.{pdf,svg,png}``), record it, show it
        (the saved PNG at 100 dpi) with its caption. ``drawn``: what a ``plot_*``
        function returned (its axes), or a figure. ``show=False`` saves and records it
        without showing it (for a series of figures that would make a notebook long).

        Parameters
        ----------
        drawn : matplotlib.axes.Axes, array of Axes, or matplotlib.figure.Figure
            What to save (:func:`rhetoric.study.plots.figure_of` finds its figure, which
            is then closed).
        stem : str
            File name without suffix, ``NN-name`` (NN: the notebook's number), written
            in :attr:`figures_dir` (:func:`rhetoric.study.figures.save_figure`).
        caption : str
            Recorded in the manifest, and shown (Markdown-escaped) under the figure.
        show : bool, default True
            Show the figure and its caption in the notebook.
        """
        import io

        from IPython.display import Image, Markdown, display
        import matplotlib.pyplot as plt
        from PIL import Image as Picture

        fig = figure_of(drawn)
        written = save_figure(
            fig, stem, figures_dir=self.figures_dir, notebook=self.notebook, caption=caption,
            fingerprint=self.fingerprint, parameters=self.parameters,
        )  # fmt: skip
        plt.close(fig)  # shown below, not drawn again by the notebook at the end of the cell
        if not show:
            return
        # the saved 300 dpi PNG, scaled to 100 dpi: no fourth drawing of the figure
        with Picture.open(next(p for p in written if p.suffix == ".png")) as picture:
            size = (max(1, round(picture.width / 3)), max(1, round(picture.height / 3)))
            shown = io.BytesIO()
            picture.resize(size, Picture.Resampling.LANCZOS).save(shown, format="PNG")
        display(Image(data=shown.getvalue(), format="png"))
        display(
            Markdown(
                f"**Figure `{stem}`.** {escape(caption)}  \n*Files: `figures/{stem}.pdf`, `.svg`, `.png` (300 dpi).*"
            )
        )

    def save_table(self, frame: pd.DataFrame, stem: str) -> str:
        """Write a whole table next to the figures (``figures/<stem>.csv``, UTF-8, the same
        bytes for the same table) and return the line that points a reader to it, for a
        notebook that shows only the top of the table.

        Parameters
        ----------
        frame : pandas.DataFrame
            The table, written without its index.
        stem : str
            File name without ``.csv``, written in :attr:`figures_dir` (created if missing).

        Returns
        -------
        str
            ``"The whole table (N rows): `figures/<stem>.csv`."`` (always ``figures/``, never
            the folder's real path).
        """
        from rhetoric.store.atomic import write_atomic

        self.figures_dir.mkdir(parents=True, exist_ok=True)
        data = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
        write_atomic(self.figures_dir / f"{stem}.csv", data)
        rows = f"{len(frame):,} row{'s' * (len(frame) != 1)}"
        return f"The whole table ({rows}): `figures/{stem}.csv`."

    def show_table(self, frame: pd.DataFrame, stem: str, rows: int = 30) -> None:
        """Show a table, or its first ``rows`` rows and how many were left out, and write
        the whole table to ``figures/<stem>.csv`` (:meth:`save_table`): a cell's output
        stays short at any corpus size.

        Parameters
        ----------
        frame : pandas.DataFrame
            The table.
        stem : str
            File name of the CSV without ``.csv`` (:meth:`save_table`).
        rows : int, default 30
            Most rows shown.
        """
        from IPython.display import display

        line = self.save_table(frame, stem)
        display(frame.head(rows))
        if len(frame) > rows:
            print(f"The first {rows:,} rows shown, {len(frame) - rows:,} left out. {line}")
        else:
            print(line)

    def show_notes(self) -> None:
        """Print what the study had to decide for itself (missing groups, small groups)."""
        for note in self.notes:
            print("Note:", note)


def _choose_groups(
    corpus: Corpus, by: str, a: str | None, b: str | None
) -> tuple[str, str, list[str]]:
    """The two groups to compare; if a named group is missing, fall back to the largest ones, with a note."""
    groups = corpus.groups(by)
    sizes = corpus.tokens.groupby("document", observed=False).size().reindex(groups.index)
    by_size = sizes.groupby(groups.to_numpy()).sum().sort_values(ascending=False, kind="mergesort")
    notes = []
    chosen = []
    for name in (a, b):
        try:
            chosen.append(corpus.resolve_group(by, name) if name else None)
        except RhetoricInputError:
            notes.append(
                f"group {name!r} is not in this corpus; comparing the largest groups instead."
            )
            chosen.append(None)
    if chosen[0] is not None and chosen[0] == chosen[1] and len(by_size) > 1:
        raise RhetoricInputError(f"group_a {a!r} and group_b {b!r} are the same {by} "
                                 f"({chosen[0]}); compare two different groups")  # fmt: skip
    for i, value in enumerate(chosen):
        if value is None:
            spare = [g for g in by_size.index if g not in chosen]
            chosen[i] = spare[0] if spare else None
    if chosen[0] is None or chosen[1] is None or chosen[0] == chosen[1]:
        notes.append(
            f"the corpus has only one {by}; comparisons between two groups are undefined."
        )
        only = by_size.index[0]
        return only, only, notes
    return chosen[0], chosen[1], notes


def _language_notes(corpus: Corpus, by: str, a: str, b: str) -> list[str]:
    """A note when the compared groups are not in the same languages."""
    groups = corpus.groups(by).astype(str).to_numpy()
    language = corpus.documents["language"].astype(str).to_numpy()
    held = {g: sorted(set(language[groups == g])) for g in (a, b)}
    if held[a] == held[b]:
        return []
    shown = "; ".join(f"{g}: {', '.join(held[g])}" for g in (a, b))
    note = (f"the two groups are not in the same languages ({shown}). Rates per 1,000 word "
            "tokens, keyness, similarity and collocates then compare different words and "
            "lexicons (and the collocates' node words are English): compare whether and "
            "where a theme appears, not how often.")  # fmt: skip
    return [note]


def _corpus_notes(corpus: Corpus, by: str) -> list[str]:
    """Where numbers are undefined or rest on very little: say so once, at the top."""
    notes = []
    groups = corpus.groups(by)
    sizes = groups.value_counts()
    single = sorted(sizes.index[sizes == 1])
    if single and by != "document":
        notes.append(
            f"{len(single)} {by} group(s) hold a single document ({', '.join(single[:6])}"
            f"{', ...' if len(single) > 6 else ''}): their rates describe one text, and their "
            "within-group similarity is undefined (a dash in the heatmaps)."
        )
    dyads = corpus.documents["dyad"]
    odd = sorted({d for d in dyads if d.count("-") != 1})
    if odd:
        notes.append(
            f"statements with one party or more than two ({', '.join(odd)}) are grouped under their party codes "
            "like any dyad."
        )
    hits = corpus.hits
    silent = [t.id for t in corpus.themes if t.id not in set(hits["theme"].astype(str))]
    if silent:
        notes.append(
            f"theme(s) with no hit in the corpus: {', '.join(silent)}; their rates are 0 and their "
            "context similarities undefined."
        )
    return notes


def open_study(
    notebook: str,
    *,
    data_dir: str | Path | None = None,
    themes_file: str | Path | None = None,
    figures_dir: str | Path | None = None,
    compare_by: str = "dyad",
    group_a: str | None = "RU-US",
    group_b: str | None = "CN-RU",
    focus_themes: list[str] | None = None,
    where: str | list[str] | None = None,
    reprints: str = "drop",
    reprint_jaccard: float | str = DEFAULT_THRESHOLD,
    reprint_containment: float | str = DEFAULT_CONTAINMENT,
    reprint_days: int | str = DEFAULT_DAYS,
    figure_style: str = "",
    figure_width: str = "double",
    language: str = "",
) -> Study:
    """Process the corpus for one notebook and set up figures.

    ``None`` means the default: ``$RHETORIC_DATA`` / ``$RHETORIC_FIGURES``
    (set by ``rhetoric run``) or the project's ``data/`` and ``figures/``.
    ``where``: document filter conditions (``"kind=joint_statement"``; several
    joined by ``;``), see :meth:`rhetoric.corpus.Corpus.select`.
    ``reprints``: ``drop`` (each cluster of near-duplicates counted once) or
    ``keep``, see :func:`rhetoric.pipeline.process_corpus`.

    Also sets the matplotlib style (:func:`rhetoric.study.plots.use_style`) and pandas'
    display options (precision 3, cells of at most 80 characters).

    Parameters
    ----------
    notebook : str
        The notebook's name (``"02_term_frequencies"``), recorded with each figure it saves.
    data_dir : str or path, optional
        The data directory (default: :func:`rhetoric.store.paths.default_data_dir`).
    themes_file : str or path, optional
        A themes.yml to use instead of the data directory's.
    figures_dir : str or path, optional
        Where figures, tables and ``manifest.json`` are written (default:
        ``$RHETORIC_FIGURES``, else ``figures/`` of the study folder).
    compare_by : str, default "dyad"
        Document variable whose groups are compared (``dyad``, ``year``, ``kind``,
        ``outlet`` or another corpus.csv column).
    group_a, group_b : str or None, default "RU-US", "CN-RU"
        The two groups compared, by name or (for dyads) label. A group not in the
        corpus (after ``where``), or None, is replaced by the largest group not chosen
        (by word tokens), with a note; a corpus of one group gives that group twice.
    focus_themes : list of str, optional
        Theme ids, only recorded in the parameters; ids that are not themes are dropped
        (default: ``trust``, ``partnership``, ``historical_truth``; if none is a theme,
        the first three themes).
    where : str or list of str, optional
        Document filter (see above); None or ``""`` keeps every document.
    reprints : {"drop", "keep"}, default "drop"
        How near-duplicate documents count (see above).
    reprint_jaccard, reprint_containment, reprint_days : float, float, int
        The reprint rule (:class:`rhetoric.text.reprints.ReprintRule`; defaults 0.5, 0.7,
        7); text as ``rhetoric run -p`` gives it is read as a number.
    figure_style : str, default ""
        A journal's typeface and size for every figure, ``"font=NAME; size=N"``
        (:func:`rhetoric.study.plots.figure_style`); ``""``: the package's style.
    figure_width : {"double", "single"}, default "double"
        Figures two journal columns wide (7.2 in), or one (3.5 in) where a figure fits one
        (:func:`rhetoric.study.plots.figure_width`).
    language : str, default ""
        Count each statement with language versions (corpus.csv's ``version_of``) in this
        language where it has a version in it (``"ru"``, ``"zh"``); ``""``: its original
        (:mod:`rhetoric.text.versions`).

    Returns
    -------
    Study
        The processed corpus (filtered by ``where``), the chosen groups, the
        ``parameters`` recorded with each figure (``compare_by``, ``group_a``, ``group_b``,
        ``focus_themes``, ``themes_file``, ``where``, ``reprints``), the corpus fingerprint
        and the notes (:meth:`Study.show_notes`).

    Raises :class:`RhetoricInputError` for a data directory or ``where`` with a problem, and
    when ``group_a`` and ``group_b`` name the same group of a corpus of several.
    """
    use_style(figure_style, figure_width)
    pd.set_option("display.precision", 3)
    pd.set_option("display.max_colwidth", 80)
    data = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    figures = Path(
        figures_dir or os.environ.get("RHETORIC_FIGURES") or paths.study_path("figures")
    )
    rule = reprint_rule(reprint_jaccard, reprint_containment, reprint_days)
    population = process_corpus(data, themes_file=themes_file, reprints=reprints,
                                reprint_rule=rule, language=language or None)  # fmt: skip
    corpus = population.select(where)
    a, b, notes = _choose_groups(corpus, compare_by, group_a, group_b)
    notes += _corpus_notes(corpus, compare_by) + _language_notes(corpus, compare_by, a, b)
    notes += list(corpus.warnings)
    if len(corpus.reprints):
        counted = "each cluster counted once" if reprints == "drop" else "all kept (reprints=keep)"
        notes.append(f"{corpus.reprints['b'].nunique()} document(s) are reprints of others, "
                     f"{counted}: see notebook 01.")  # fmt: skip
    theme_ids = [t.id for t in corpus.themes]
    focus = [
        t for t in (focus_themes or ["trust", "partnership", "historical_truth"]) if t in theme_ids
    ]
    parameters = {
        "compare_by": compare_by,
        "group_a": a,
        "group_b": b,
        "focus_themes": focus or theme_ids[:3],
        "themes_file": display_path(themes_file)
        if themes_file
        else "themes.yml in the data directory",
        "where": "; ".join(
            f"{c}{'=' if keep else '!='}{','.join(v)}" for c, keep, v in parse_where(where)
        )
        or "every document",
        "reprints": reprints,
        "reprint_rule": f"Jaccard {rule.jaccard:g} or containment {rule.containment:g}, "
        f"within {rule.days} days",
        "figure_style": figure_style or "the package's (DejaVu Sans, 8 pt)",
        "figure_width": figure_width,
        "language": language or "each statement's original",
    }
    return Study(
        notebook=notebook,
        corpus=corpus,
        data_dir=data,
        figures_dir=figures,
        compare_by=compare_by,
        group_a=a,
        group_b=b,
        parameters=parameters,
        fingerprint=corpus_fingerprint(data),
        notes=tuple(notes),
        population=population,
        source={
            "themes_file": themes_file,
            "reprint_rule": rule,
            "where": where,
            "language": language or None,
        },
    )


#: How a verdict of :func:`rhetoric.measures.rates.compare_groups` reads in prose
#: (``{units}``: "documents" or "events"; ``{ratio}``: the detectable ratio, in words).
VERDICT_WORDS = {
    "a_higher": "higher in {a}",
    "b_higher": "higher in {b}",
    "no_clear_difference": "no clear difference (a doubling would probably have been found)",
    "underpowered": "underpowered: no difference found, but this test would miss even a "
    "doubling{ratio}; silence here is not evidence of similarity",
    "too_few_units": "too few {units} to test",
    "few_hit_units": "no finding: the test points one way, but one or two {units} hold the hits",
}


def _verdict_words(row, a: str, b: str) -> str:
    units = f"{row.unit}s"
    ratio = ""
    if row.verdict == "underpowered" and not pd.isna(row.detectable_ratio):
        ratio = (f" (80% power only from a ratio of {row.detectable_ratio:.1f} either way at "
                 "this size)")  # fmt: skip
    elif row.verdict == "underpowered" and row.a_count + row.b_count == 0:
        ratio = " (no hit in either group)"
    return VERDICT_WORDS[row.verdict].format(a=a, b=b, units=units, ratio=ratio)


def _why_untested(row) -> str:
    from rhetoric.measures.inference import MIN_GROUP_UNITS

    if min(row.a_units, row.b_units) < MIN_GROUP_UNITS:
        return (f"a test with {row.unit}s as the unit needs at least {MIN_GROUP_UNITS} in each "
                "group")  # fmt: skip
    return row.test.removeprefix("none: ")  # the package's own words, no user field


def _documents(n: int) -> str:
    return f"{int(n):,} document{'s' * (int(n) != 1)}"


def _units(n: int, unit: str) -> str:
    return f"{int(n):,} {unit}{'s' * (int(n) != 1)}"


def _sizes(row) -> str:
    """ "6 vs 6 documents", or with events "9 vs 7 documents in 4 vs 3 events"."""
    text = f"{row.a_documents} vs {row.b_documents} documents"
    if row.unit == "event":
        text += f" in {row.a_units} vs {row.b_units} events"
    return text


def _ratio_text(row) -> str:
    if pd.isna(row.rate_ratio):
        return "ratio undefined (a group has no hit)"
    if pd.isna(row.ratio_ci_low):
        return f"ratio {row.rate_ratio:.2f}"
    high = f"{row.ratio_ci_high:.2f}" if row.ratio_ci_high < 1000 else "over 1,000"
    return f"ratio {row.rate_ratio:.2f} (simultaneous 95% CI {row.ratio_ci_low:.2f}–{high})"


def findings(study: Study, table: pd.DataFrame | None = None) -> tuple[pd.DataFrame, str]:
    """The comparison of group A and group B, theme by theme, as a table and as sentences.

    ``table``: :func:`rhetoric.measures.rates.compare_groups` for the study's two
    groups (computed when not given). Each verdict is that table's: a
    permutation test of the document labels per theme, Holm's adjustment
    across the themes, p_adjusted < 0.05 for "higher in X"; a group with
    fewer documents than the test needs gets "too few documents to test", and
    the text then says that no group test is possible.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`); its ``group_a`` and ``group_b`` are
        compared by its ``compare_by``.
    table : pandas.DataFrame, optional
        :func:`rhetoric.measures.rates.compare_groups` output for these two groups.

    Returns
    -------
    table : pandas.DataFrame
        One row per theme, in ``table``'s order: ``theme`` (its label), ``<A> per 1,000``
        and ``<B> per 1,000`` (A, B: the groups' labels; pooled rates, hits not negated
        per 1,000 word tokens, one decimal), ``documents``, ``units`` (documents or events,
        the unit of the test) and ``hits`` (``"A vs B"``), ``rate ratio (simultaneous 95%
        CI)`` (A / B of the pooled rates, with its interval where there is one, adjusted
        over the themes as the verdicts are; "undefined (a group has no hit)" when the
        ratio is NaN), ``p`` (the compare test: the larger p of a permutation test of the
        unit labels and a bootstrap) and ``p (Holm)`` (three decimals, NaN when untested),
        ``verdict`` (in words, :data:`VERDICT_WORDS`; ``underpowered`` with the smallest
        ratio the test would find with 80% power).
    text : str
        Markdown: a line naming the test (or saying why none is possible), then one
        bullet per theme with its rates, counts, ratio, p-values and verdict.

    Raises :class:`RhetoricInputError` (from ``compare_groups``) when ``table`` is not given
    and the study has only one group.
    """
    from rhetoric.measures.rates import compare_groups

    a, b = study.group_a, study.group_b
    if table is None:
        table = compare_groups(study.corpus, a=a, b=b, by=study.compare_by,
                               population=study.population)  # fmt: skip
    label_a, label_b = escape(study.label(a)), escape(study.label(b))
    words = [_verdict_words(row, study.label(a), study.label(b)) for row in table.itertuples()]
    first = table.iloc[0] if len(table) else None
    lines = []
    if first is not None and (table["verdict"] == "too_few_units").all():
        lines.append(
            f"**No group test is possible.** {label_a} has {_units(first.a_units, first.unit)} "
            f"and {label_b} {_units(first.b_units, first.unit)}; {_why_untested(first)}. "
            "The rates below are the pooled rates of these documents: they "
            "describe the texts, not the relationships (per document: the table after this one)."
        )
    elif first is not None:
        lines.append(f"*Test: {first.test}; verdicts at Holm-adjusted p < 0.05; intervals "
                     f"{first.interval}.*")  # our words  # fmt: skip
    for row, verdict in zip(table.itertuples(), words, strict=True):
        theme = escape(study.theme_labels.get(row.theme, row.theme))
        tested = "" if pd.isna(row.p_value) else (
            f"; p = {row.p_value:.3f}, Holm-adjusted {row.p_adjusted:.3f}")  # fmt: skip
        lines.append(
            f"- **{theme}**: {label_a} {row.a_per_1000:.1f} vs {label_b} {row.b_per_1000:.1f} per "
            f"1,000 tokens ({row.a_count} vs {row.b_count} hits in {_sizes(row)}; "
            f"{_ratio_text(row)}{tested}): {escape(verdict)}."
        )
    shown = pd.DataFrame(
        {
            "theme": [study.theme_labels.get(t, t) for t in table["theme"]],
            f"{study.label(a)} per 1,000": table["a_per_1000"].round(1),
            f"{study.label(b)} per 1,000": table["b_per_1000"].round(1),
            "documents": [f"{r.a_documents} vs {r.b_documents}" for r in table.itertuples()],
            "units": [f"{r.a_units} vs {r.b_units} {r.unit}s" for r in table.itertuples()],
            "hits": [f"{r.a_count} vs {r.b_count}" for r in table.itertuples()],
            "rate ratio (simultaneous 95% CI)": [
                _ratio_text(r).removeprefix("ratio ") for r in table.itertuples()
            ],
            "p": table["p_value"].round(3),
            "p (Holm)": table["p_adjusted"].round(3),
            "verdict": words,
        }
    )
    return shown, "\n".join(lines)


def robustness(study: Study) -> tuple[pd.DataFrame | None, str]:
    """Whether each verdict of the study's comparison survives other reasonable corpora
    (:func:`rhetoric.measures.sensitivity.sensitivity`: every reprint kept, primary texts
    only, coverage only, each event left out), as a table and as sentences.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).

    Returns
    -------
    table : pandas.DataFrame or None
        The sensitivity table (None when the comparison cannot be made).
    text : str
        Markdown: how many findings there are and which are fragile, one bullet per finding
        or fragile verdict.
    """
    from rhetoric.measures.sensitivity import sensitivity

    kept = process_corpus(study.data_dir, themes_file=study.source.get("themes_file"),
                          reprints="keep", reprint_rule=study.source.get("reprint_rule"),
                          language=study.source.get("language"))  # fmt: skip
    try:
        table = sensitivity(study.corpus, a=study.group_a, b=study.group_b, by=study.compare_by,
                            kept=kept.select(study.source.get("where")),
                            population=study.population, kept_population=kept)  # fmt: skip
    except RhetoricInputError as error:
        return None, f"*No sensitivity report: {escape(str(error))}*"
    made = table["verdict"].isin(["a_higher", "b_higher"])
    fragile = table["fragile"].astype(bool)
    events = int(table["events_left_out"].iloc[0]) if len(table) else 0
    first = (f"**{int(made.sum())} finding{'s' * (int(made.sum()) != 1)}, "
             f"{int(fragile.sum())} of them fragile** (alternatives: every reprint counted, "
             f"primary texts only, coverage only, and without each of {events} events).")  # fmt: skip
    lines = [first]
    for row in table.itertuples():
        if made[row.Index] or row.reading.startswith("no finding here, but"):
            theme = escape(study.theme_labels.get(row.theme, row.theme))
            lines.append(f"- **{theme}** ({row.verdict}): {escape(row.reading)}.")
    return table, "\n".join(lines)


def group_mix(study: Study) -> tuple[pd.DataFrame, str]:
    """What each compared group is made of (documents by kind and outlet), and a sentence
    saying whether the two groups' mixes differ: a rate that mixes joint statements and news
    articles changes with the mix, not only with the relationship.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).

    Returns
    -------
    table : pandas.DataFrame
        Two rows, group A then group B: ``group`` (its label), ``documents`` (count),
        ``kinds`` and ``outlets`` (``"name: count"`` joined by ``"; "``, sorted by name;
        an empty outlet counted as ``(none)``).
    note : str
        One sentence: whether the groups differ in their kinds or outlets.
    """
    corpus = study.corpus.documents
    groups = study.corpus.groups(study.compare_by).to_numpy()
    rows, mixes = [], {}
    for group in (study.group_a, study.group_b):
        members = corpus[groups == group]
        kinds = members["kind"].value_counts().sort_index()
        outlets = members["outlet"].replace("", "(none)").value_counts().sort_index()
        mixes[group] = (tuple(kinds.index), tuple(outlets.index))
        rows.append({
            "group": study.label(group),
            "documents": len(members),
            "kinds": "; ".join(f"{k}: {n}" for k, n in kinds.items()),
            "outlets": "; ".join(f"{o}: {n}" for o, n in outlets.items()),
        })  # fmt: skip
    table = pd.DataFrame(rows)
    (kinds_a, outlets_a), (kinds_b, outlets_b) = mixes[study.group_a], mixes[study.group_b]
    differs = [name for name, x, y in (("kinds", kinds_a, kinds_b),
                                       ("outlets", outlets_a, outlets_b)) if x != y]  # fmt: skip
    if study.group_a == study.group_b:
        note = "Only one group: there is no mix to compare."
    elif differs:
        example = "kind=joint_statement" if "kinds" in differs else "outlet=NAME"
        note = (f"The two groups differ in their {' and '.join(differs)}: a difference in rates "
                "may come from that mix as much as from the relationship. Compare like with like "
                f"with the `where` parameter (e.g. `{example}`).")  # fmt: skip
    else:
        note = "Both groups hold the same kinds of document from the same outlets."
    return table, note


def coverage(study: Study) -> tuple[pd.DataFrame, list[str], str]:
    """What the news coverage took from each statement (:mod:`rhetoric.measures.reuse`): the passages,
    the statements that some article reproduced, and a paragraph that says what the corpus
    shows, or what to add to see it.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).

    Returns
    -------
    passages : pandas.DataFrame
        :func:`rhetoric.measures.reuse.find_reuse` of the study's corpus: one row per
        passage (``article``, ``statement``, character offsets, ``words``, ``text``).
    covered : list of str
        Ids of the statements (corpus order) that at least one article reproduced.
    note : str
        A Markdown paragraph.
    """
    from rhetoric.measures import reuse

    corpus = study.corpus
    documents = corpus.documents
    passages = reuse.find_reuse(corpus)
    covered = reuse.reuse_statements(corpus, passages)
    kinds = documents["kind"].astype(str)
    statements = documents[kinds.isin(corpus.kinds.primary)]
    articles = documents[kinds.isin(corpus.kinds.coverage)]
    paired = {s for _a, s in reuse.statement_pairs(corpus)}
    said = "/".join(corpus.kinds.primary)
    if statements.empty:
        dyads = sorted(set(articles["dyad"])) or ["RU-US"]
        first = dyads[0].split("-")
        kinds_held = ", ".join(f"{k} ({n})" for k, n in kinds.value_counts().sort_index().items())
        note = (
            f"The corpus holds no statement text (kind {said}): its "
            f"{_documents(len(documents))} are of kind {kinds_held or 'none'}, so there is nothing to "
            "align the coverage with. To see what the articles took from a statement, add the "
            "statement's own text, e.g. `rhetoric add statement.txt --kind joint_statement "
            f"--parties {','.join(first)} --date YYYY-MM-DD`, and re-run: every news article "
            "of the same dyad is then aligned with it."
        )
    elif articles.empty or not paired:
        note = (
            f"The corpus holds {_documents(len(statements))} of kind {said} but no news "
            "article of the same dyad as any of them: there is no coverage to align. Add "
            "articles (`rhetoric add FILE --kind news_article --outlet NAME`) to see it."
        )
    elif not covered:
        note = (
            f"No news article reproduces {reuse.MIN_WORDS} or more words in a row of any of the "
            f"{_documents(len(paired))} of kind {said} that have articles of their dyad: the "
            "coverage reports them in its own words (or quotes them in shorter fragments)."
        )
    else:
        share = passages.groupby("article")["words"].sum()
        which = (
            "Of the one statement with articles of its dyad, articles reproduced at least half "
            "of a sentence"
            if len(paired) == 1
            else f"{len(covered):,} of the {len(paired):,} statements with articles of their "
            "dyad had at least half of one of their sentences reproduced by an article"
        )
        note = (
            f"{which}: {len(passages):,} passage{'s' * (len(passages) != 1)} of at least "
            f"{reuse.MIN_WORDS} words in {len(share):,} article{'s' * (len(share) != 1)} "
            "(passages made only of names, titles and designations not counted). The "
            "statements reproduced by the most articles come first. A share describes these "
            "articles: which outlets covered a statement, and how, is not a sample of all "
            "coverage."
        )
    if not (statements.empty or articles.empty):
        note += _early_note(corpus) + _versions_note(study)
    return passages, covered, note


def _versions_note(study: Study) -> str:
    """A sentence when statements have versions: coverage is aligned with the counted one."""
    documents = study.corpus.documents
    if "statement" not in documents or not (documents["statement"].astype(str) != "").any():
        return ""
    chosen = study.source.get("language")
    which = f"its {chosen} version where it has one" if chosen else "its original"
    return (f" Each statement with language versions is aligned here with the version counted "
            f"({which}): an article that quotes another version shows no reuse of it (see "
            "`rhetoric versions`).")  # fmt: skip


def _early_note(corpus: Corpus) -> str:
    """A sentence on the article–statement pairs that share text with the article dated
    before the statement (:func:`rhetoric.measures.reuse.reuse_anomalies`), or ""."""
    from rhetoric.measures import reuse

    early = reuse.reuse_anomalies(corpus)
    if not len(early):
        return ""
    return (
        f" {len(early):,} pair{'s' * (len(early) != 1)} of an article and a statement share "
        "text although the article is dated more than a day before the statement (a wrong "
        "date, or a statement reusing earlier wording): not counted here (`rhetoric reuse "
        "--per anomaly` lists them)."
    )


def event_note(study: Study, dominance: pd.DataFrame) -> str:
    """Markdown: for each compared group, how many events its documents come from, and a
    warning where one event supplies most of its documents or of its theme hits.

    Parameters
    ----------
    study : Study
        The open study (its groups' labels).
    dominance : pandas.DataFrame
        :func:`rhetoric.measures.events.event_dominance` of the study's corpus by its
        ``compare_by``.

    Returns
    -------
    str
        One paragraph per group.
    """
    lines = []
    for row in dominance.itertuples():
        label = escape(study.label(str(row.group)))
        largest = str(row.largest_event).replace("`", "'")  # shown as code: no escapes
        hits = "" if row.hits == 0 else f" and {row.hit_share:.0%} of its {row.hits:,} theme hits"
        if row.documents < 2:
            lines.append(f"- **{label}**: one document, so one event.")
        elif row.document_share > 0.5 or (row.hits and row.hit_share > 0.5):
            lines.append(
                f"- **{label}: one event supplies most of the group.** `{largest}` "
                f"holds {row.event_documents} of its {row.documents} documents{hits}. A "
                "difference of this group may be a difference of that one event; the group "
                "tests count documents, not events."
            )
        else:
            lines.append(
                f"- **{label}**: {row.documents} documents from {row.events} events; the "
                f"largest, `{largest}`, holds {row.event_documents} of them{hits}."
            )
    return "\n".join(lines)


def reprint_rule(jaccard: float | str, containment: float | str, days: int | str) -> ReprintRule:
    """The reprint rule of the notebooks' parameters (numbers, or text as ``rhetoric run -p``
    gives them).

    Parameters
    ----------
    jaccard : float or str
        Least Jaccard similarity, from 0 to 1.
    containment : float or str
        Least containment, 0 or more (above 1: that test is off).
    days : int or str
        Most days apart, a whole number of 0 or more.

    Returns
    -------
    ReprintRule
        The rule (:class:`rhetoric.text.reprints.ReprintRule`).

    Raises :class:`RhetoricInputError` (naming the parameter) for a value that is not such
    a number.
    """
    values = {}
    for name, value, kind, top in (("reprint_jaccard", jaccard, float, 1.0),
                                   ("reprint_containment", containment, float, math.inf),
                                   ("reprint_days", days, int, math.inf)):  # fmt: skip
        number = _number(value, kind)
        if number is None or not 0 <= number <= top:
            shown = ("a number from 0 to 1" if top == 1 else
                     "a whole number of days, 0 or more" if kind is int else "a number, 0 or more")  # fmt: skip
            raise RhetoricInputError(f"{name}={value!r}: give {shown}", parameters=(name,))
        values[name] = number
    return ReprintRule(jaccard=values["reprint_jaccard"],
                       containment=values["reprint_containment"], days=values["reprint_days"])  # fmt: skip


def _number(value: object, kind: type) -> float | int | None:
    """``value`` as a finite number of ``kind`` (text read as such), or None."""
    if isinstance(value, bool):
        return None
    try:
        number = kind(value.strip()) if isinstance(value, str) else value
    except ValueError:
        return None
    if not isinstance(number, int | float) or not math.isfinite(number):
        return None
    if kind is int and number != int(number):
        return None
    return kind(number)


def _check_language(corpus: pd.DataFrame, language: str) -> None:
    """Refuse a ``language`` parameter that no document of the corpus is in."""
    if language and language not in set(corpus["language"]):
        found = ", ".join(sorted(set(corpus["language"])))
        raise RhetoricInputError(f"-p language={language}: no document of the corpus is in it "
                                 f"(its languages: {found})")  # fmt: skip


def check_parameters(data_dir: Path, parameters: dict[str, object]) -> dict[str, object]:
    """Refuse notebook parameters that name what the corpus does not have, before a kernel
    starts (``rhetoric run``): an unknown ``compare_by`` column, ``group_a`` / ``group_b``
    (after the ``where`` filter), ``where`` column or value, ``reprints`` choice or
    ``themes_file`` (relative to the current directory, where the kernels run), and a corpus
    whose documents all fall in one group (nothing to compare). Returns
    the parameters, unchanged. Raises :class:`RhetoricInputError` (one line, with the
    choices).

    Parameters
    ----------
    data_dir : path
        The data directory whose corpus.csv (and parties.yml) the parameters must fit.
    parameters : dict
        Notebook parameters by name (``compare_by``, ``group_a``, ``group_b``, ``where``,
        ``reprints``, ``themes_file``); other names are passed through unchecked.

    Returns
    -------
    dict
        A copy of ``parameters``, unchanged.
    """
    from rhetoric.corpus import document_groups, resolve_group, where_mask
    from rhetoric.data.folder import load_corpus
    from rhetoric.data.parties import load_parties
    from rhetoric.text.themes import load_themes

    checked = dict(parameters)
    corpus = load_corpus(data_dir)
    parties = load_parties(Path(data_dir) / paths.PARTIES_FILE)
    if checked.get("reprints", "drop") not in ("drop", "keep"):
        raise RhetoricInputError(f"-p reprints={checked['reprints']}: use drop or keep")
    reprint_rule(checked.get("reprint_jaccard", DEFAULT_THRESHOLD),
                 checked.get("reprint_containment", DEFAULT_CONTAINMENT),
                 checked.get("reprint_days", DEFAULT_DAYS))  # fmt: skip
    try:
        plots.checked_style(str(checked.get("figure_style") or ""),
                            str(checked.get("figure_width", "double")))  # fmt: skip
    except RhetoricInputError as exc:
        raise RhetoricInputError(f"-p {exc}") from None
    _check_language(corpus, str(checked.get("language") or ""))
    where = str(checked.get("where") or "")
    kept = corpus[where_mask(corpus, where)]
    if kept.empty:
        raise RhetoricInputError(f"-p where={where}: no document meets every condition")
    by = str(checked.get("compare_by") or "dyad")
    try:
        groups = document_groups(kept, by)
    except RhetoricInputError as exc:
        raise RhetoricInputError(f"-p compare_by={by}: {exc}", parameters=exc.parameters) from None
    if groups.nunique() < 2:
        raise RhetoricInputError(
            f"{display_path(Path(data_dir) / paths.CORPUS_FILE)}: every document"
            f"{' that -p where keeps' * bool(where)} "
            f"has the same {by} ({groups.iloc[0]}), and notebook 04 compares two groups: add "
            "statements of another group, or compare by another column (-p compare_by=year); "
            "the table commands (rhetoric themes, terms, kwic, ...) work as they are"
        )
    chosen = {}
    for name in ("group_a", "group_b"):
        if checked.get(name) is not None:
            try:
                chosen[name] = resolve_group(kept, by, str(checked[name]), parties)
            except RhetoricInputError as exc:
                raise RhetoricInputError(
                    f"-p {name}={checked[name]}: {exc}", parameters=exc.parameters
                ) from None
    if len(chosen) == 2 and chosen["group_a"] == chosen["group_b"]:
        raise RhetoricInputError(f"-p group_b={checked['group_b']}: the same {by} as group_a "
                                 f"({chosen['group_a']}); compare two different groups")  # fmt: skip
    if checked.get("themes_file"):
        path = Path(str(checked["themes_file"])).expanduser()
        if not (path.exists() or path.is_symlink()):
            raise RhetoricInputError(
                f"-p themes_file={checked['themes_file']}: no such file (a themes.yml like "
                f"{display_path(Path(data_dir) / paths.THEMES_FILE)})"
            )
        load_themes(path)
    return checked


# -- prose that follows the data ------------------------------------------------------------


def _counted(values: pd.Series, labels: dict[str, str] | None = None) -> str:
    """``"2 US–Russia, 1 Russia–China"``: counts of each value, in order of first appearance."""
    counts = values.astype(str).value_counts(sort=False)
    return ", ".join(
        f"{n} {escape((labels or {}).get(v, v) or '(none)')}" for v, n in counts.items()
    )


def _years(frame: pd.DataFrame) -> str:
    years = frame["date"].astype(str).str.slice(0, 4)
    low, high = years.min(), years.max()
    return low if low == high else f"{low}–{high}"


def heading(study: Study) -> str:
    """A Markdown heading naming the two compared groups, their documents and years.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).

    Returns
    -------
    str
        ``"## A (N documents, 2019–2021) and B (...)"``: labels escaped (:func:`escape`),
        years of the documents' dates; one group when the study has only one.
    """
    corpus = study.corpus.documents
    groups = study.corpus.groups(study.compare_by).to_numpy()
    parts = []
    for group in dict.fromkeys((study.group_a, study.group_b)):
        members = corpus[groups == group]
        parts.append(f"{escape(study.label(group))} ({_documents(len(members))}, "
                     f"{_years(members)})")  # fmt: skip
    return f"## {' and '.join(parts)}"


@dataclass(frozen=True)
class _Facts:
    """What the limitation bullets are worded from."""

    study: Study
    corpus: pd.DataFrame
    members: dict
    la: str
    lb: str
    kinds: pd.Series


def _facts(study: Study) -> _Facts:
    corpus = study.corpus.documents
    groups = study.corpus.groups(study.compare_by).to_numpy()
    members = {g: corpus[groups == g] for g in (study.group_a, study.group_b)}
    return _Facts(study, corpus, members, escape(study.label(study.group_a)),
                  escape(study.label(study.group_b)), corpus["kind"].astype(str))  # fmt: skip


def _population(f: _Facts) -> str:
    return (
        f"**{_documents(len(f.corpus))} are not a population.** The corpus holds "
        f"{_counted(f.corpus['dyad'], f.study.labels)} ({_years(f.corpus)}). Every number "
        "describes these texts; none estimates how a relationship is framed in general, and a "
        "difference between a few documents describes those documents."
    )


def _kinds(f: _Facts) -> str:
    news = ~f.kinds.map(f.study.corpus.kinds.is_primary).astype(bool)  # coverage (kinds.yml)
    if news.all():
        heading, held = (
            ("News reports, not statements", "news articles") if (f.kinds == "news_article").all()
            else ("Coverage, not the parties' own texts", f"coverage ({_counted(f.kinds)})")
        )  # fmt: skip
        return (
            f"**{heading}.** All {_documents(len(f.corpus))} are {held}: the quoted words were "
            "chosen by editors and the narration is the outlets' voice. The quoted/narrated "
            "split reduces, but cannot remove, that layer; the statements' own texts, added to "
            "the corpus, show what the coverage took from them (notebook 04)."
        )
    if not news.any():
        return (
            f"**Texts of the parties, not coverage.** The corpus holds no coverage "
            f"({_counted(f.kinds)}): the words are the parties' own, and what the press made of "
            "them is not measured here."
        )
    return (
        f"**Kinds are mixed** ({_counted(f.kinds)}): a group's rate mixes them in its own "
        "proportions (see what each group is made of); compare like with like with the `where` "
        "parameter (e.g. `where=kind=joint_statement`)."
    )


def _time(f: _Facts) -> str | None:
    a, b = (f.members[g] for g in (f.study.group_a, f.study.group_b))
    ya, yb = (m["date"].astype(str).str.slice(0, 4) for m in (a, b))
    if f.study.group_a == f.study.group_b or ya.empty or yb.empty:
        return None
    if ya.max() < yb.min() or yb.max() < ya.min():
        return (
            f"**Time is confounded with the groups.** The {f.la} documents date from "
            f"{_years(a)}, the {f.lb} documents from {_years(b)}: a difference between the "
            "groups may be one of time, or of the occasions the texts mark, as much as of the "
            "relationship."
        )
    return (
        f"**Occasions.** The groups overlap in time ({f.la}: {_years(a)}, {f.lb}: "
        f"{_years(b)}), but their documents may mark different occasions (anniversaries, "
        "summits, crises), which corpus.csv does not record."
    )


def _single(f: _Facts) -> str | None:
    sizes = ((f.la, len(f.members[f.study.group_a])), (f.lb, len(f.members[f.study.group_b])))
    single = [f"{label} holds one document" for label, k in sizes if k == 1]
    if not single or f.study.group_a == f.study.group_b:
        return None
    return (
        f"**A group of one document.** {' and '.join(single)}: its rates describe that text, "
        "and it has no within-group similarity."
    )


def _tests(f: _Facts) -> str | None:
    from rhetoric.measures.events import document_units
    from rhetoric.measures.inference import MIN_GROUP_UNITS

    if f.study.group_a == f.study.group_b:
        return None
    from rhetoric.measures.rates import document_counts

    groups = f.study.corpus.groups(f.study.compare_by).to_numpy()
    tokens = document_counts(f.study.corpus)[1] > 0  # as compare_groups counts units
    compared = np.isin(groups, [f.study.group_a, f.study.group_b]) & tokens
    keys, unit = document_units(f.study.corpus, population=f.study.population, among=compared)
    n_a = len(set(keys[(groups == f.study.group_a) & tokens]))
    n_b = len(set(keys[(groups == f.study.group_b) & tokens]))
    sizes = f"{f.la} has {_units(n_a, unit)}, {f.lb} {_units(n_b, unit)}"
    if unit == "event":
        sizes += (" (documents of one event, a statement and the articles that cover it, "
                  "count together: they are not independent)")  # fmt: skip
    if min(n_a, n_b) >= MIN_GROUP_UNITS:
        return (
            f"**Tested with {unit}s as the unit.** {sizes}; a verdict says these {unit}s "
            "differ more than chance would make them, not that other outlets or translations "
            "would agree. A theme marked underpowered was tested but could not have shown "
            "even a doubling."
        )
    splits = math.comb(n_a + n_b, n_a)
    few = ", too few for a permutation test to reach p < 0.05" if splits < 20 else ""
    return (
        f"**Too few {unit}s to test.** {sizes}: there are {splits:,} ways to split them into "
        f"two groups of those sizes{few}, and intervals and tests with {unit}s as the unit "
        f"need at least {MIN_GROUP_UNITS} per group. No difference between them is evidence."
    )


def _reprints(f: _Facts) -> str | None:
    reprints = f.study.corpus.reprints
    if not len(reprints):
        return None
    kept = ("all counted (reprints=keep): one wire text weighs as often as it was reprinted"
            if f.study.parameters.get("reprints") == "keep" else "counted once (reprints=drop)")  # fmt: skip
    return f"**Reprints.** {_documents(reprints['b'].nunique())} are reprints of others, {kept}."


def _counts(f: _Facts) -> str | None:
    p, a, b = f.study.corpus, f.study.group_a, f.study.group_b
    hits = p.hits[~p.hits["negated"]]
    if hits.empty or a == b:
        return None
    group_of = dict(zip(f.corpus["id"], p.groups(f.study.compare_by), strict=True))
    counts = hits.groupby([hits["document"].astype(str).map(group_of),
                           hits["theme"].astype(str)]).size()  # fmt: skip
    cells = [counts.get((g, t.id), 0) for g in (a, b) for t in p.themes]
    small = sum(c < 10 for c in cells)
    if not small:
        return None
    return (
        f"**Small counts.** {small} of the {len(cells)} theme counts of the two groups are "
        "below ten hits: a rate from a handful of hits moves a lot with one more."
    )


def _idf(f: _Facts) -> str:
    n = len(f.corpus)
    common = f": a word in {max(1, n - 1)} of the {n} documents already counts as common"
    return (
        f"**Weights learnt from {_documents(n)}.** Idf comes from this corpus"
        f"{common if n < 20 else ''}; adding documents changes every weight."
    )


_YES = ("true", "yes", "y", "1")


def _versions(f: _Facts) -> str | None:
    """Partial texts and translations, when corpus.csv says so (``partial``, ``translated``,
    ``translation_of``)."""
    corpus = f.corpus

    def column(name: str) -> pd.Series:
        values = corpus[name] if name in corpus else pd.Series("", index=corpus.index)
        return values.fillna("").astype(str).str.strip().str.lower()

    partial = int(column("partial").isin(_YES).sum())
    versions = column("version_of") != ""
    translated = int(((column("translated").isin(_YES) | (column("translation_of") != ""))
                      & ~versions).sum())  # fmt: skip
    said = []
    if versions.any():
        count = int(versions.sum())
        said.append(f"{_documents(count)} {'is a statement' if count == 1 else 'are statements'} "
                    "counted in a version other than the original (`version_of`, the "
                    "`language` parameter): the words counted are that version's")  # fmt: skip
    if partial:
        said.append(f"{_documents(partial)} {'is a' if partial == 1 else 'are'} partial "
                    f"text{'s' * (partial != 1)} (`partial`): {'its' if partial == 1 else 'their'} "
                    "rates describe the part at hand, not the whole")  # fmt: skip
    if translated:
        said.append(f"{_documents(translated)} {'is a' if translated == 1 else 'are'} "
                    f"translation{'s' * (translated != 1)} (`translated`, `translation_of`): "
                    "the words counted are the translator's")  # fmt: skip
    if not said:
        return None
    return "**Partial and translated texts.** " + "; ".join(said) + "."


def every_version(study: Study) -> Corpus:
    """The study's corpus with every language version kept (to compare versions and audit
    lexicons; :mod:`rhetoric.text.versions`), its reprints and ``where`` as the study's.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).

    Returns
    -------
    Corpus
        The processed corpus of the study's data folder and themes, no version left out.
    """
    whole = process_corpus(study.data_dir, themes_file=study.source.get("themes_file"),
                           reprints=str(study.parameters.get("reprints", "drop")),
                           versions="keep", reprint_rule=study.source.get("reprint_rule"))  # fmt: skip
    return whole.select(study.source.get("where"))


def languages(study: Study) -> tuple[pd.DataFrame, str]:
    """The corpus's languages and statement versions, and which version the study counts.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).

    Returns
    -------
    table : pandas.DataFrame
        One row per statement with versions: ``original``, ``versions`` (each ``id
        (language)``, joined by ``; ``) and ``counted`` (the id the study counts).
    text : str
        Markdown: the documents per language, and what the versions mean here.
    """
    from rhetoric.measures.versions import version_groups

    whole = every_version(study)
    language_of = whole.languages
    per = pd.Series(list(language_of.values()), dtype=object).value_counts()
    shown = ", ".join(f"{lang} {n}" for lang, n in sorted(per.items()))
    counted = set(study.population.documents["id"])
    rows = [(original, "; ".join(f"{v} ({language_of[v]})" for v in members[1:]),
             next((m for m in members if m in counted), ""))
            for original, members in version_groups(whole).items()]  # fmt: skip
    table = pd.DataFrame(rows, columns=["original", "versions", "counted"])
    text = f"**Documents by language** (corpus.csv's `language`): {shown}."
    if table.empty:
        text += (" No statement has a version in another language (corpus.csv's `version_of`), "
                 "so each document counts for itself.")  # fmt: skip
    else:
        chosen = study.source.get("language") or "its original's"
        text += (f" {len(table)} statement{'s' * (len(table) != 1)} "
                 f"{'has' if len(table) == 1 else 'have'} versions; "
                 f"each counts once, in {chosen} language (the `language` parameter), and "
                 "shares its original's event.")  # fmt: skip
    return table, text


def translation_changes(study: Study) -> tuple[pd.DataFrame, str]:
    """Where each version of a statement adds, drops or changes a theme, against its
    original: the aligned sentence pairs with a change (:func:`rhetoric.measures.versions.
    align_versions`).

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).

    Returns
    -------
    table : pandas.DataFrame
        One row per aligned pair with a change: ``original``, ``version``,
        ``a_sentences``, ``b_sentences``, ``a_terms``, ``b_terms``, ``change``.
    text : str
        Markdown: per version, how many of its aligned pairs change a theme; or why there
        is nothing to show.
    """
    from rhetoric.measures.versions import align_versions, version_groups

    whole = every_version(study)
    frames, lines = [], []
    for original, members in version_groups(whole).items():
        for version in members[1:]:
            aligned = align_versions(whole, original, version)
            changed = aligned[aligned["change"] != ""]
            frames.append(changed.assign(original=original, version=version))
            lines.append(f"- `{version}` ({whole.languages[version]}) against `{original}` "
                         f"({whole.languages[original]}): {len(aligned)} aligned pairs, "
                         f"{len(changed)} with a change of theme.")  # fmt: skip
    columns = ["original", "version", "a_sentences", "b_sentences", "a_terms", "b_terms",
               "change"]  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=columns), (
            "*No statement in this corpus has a version in another language (corpus.csv's "
            "`version_of`): there is no translation to compare.*")  # fmt: skip
    return pd.concat(frames, ignore_index=True)[columns], "\n".join(lines)


_LIMITS = {"population": _population, "kinds": _kinds, "versions": _versions, "time": _time,
           "single": _single, "tests": _tests, "reprints": _reprints, "counts": _counts,
           "idf": _idf}  # fmt: skip


def limits(study: Study, *keys: str) -> str:
    """Markdown bullets: what the corpus at hand lets the numbers show, and what not.

    ``keys`` pick and order the bullets (all, in this order, when none is given):
    ``population`` (what the corpus holds), ``kinds`` (news reports, statements or
    both), ``versions`` (partial texts and translations, when corpus.csv marks them),
    ``time`` (the compared groups' years), ``single`` (a group of one
    document), ``tests`` (whether the groups can be tested with documents as the
    unit), ``reprints``, ``counts`` (small theme counts), ``idf`` (weights learnt from
    this corpus). A bullet that does not apply to this corpus is left out.

    Parameters
    ----------
    study : Study
        The notebook's study (:func:`open_study`).
    keys : str
        Bullet names, from those above (another raises :class:`KeyError`).

    Returns
    -------
    str
        Markdown list, one ``- `` line per bullet ("" when none applies).
    """
    facts = _facts(study)
    bullets = [_LIMITS[key](facts) for key in (keys or tuple(_LIMITS))]
    return "\n".join(f"- {text}" for text in bullets if text)
