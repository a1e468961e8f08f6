""":mod:`rhetoric.study`: what the notebooks call, so that they stay thin.

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
import os
from pathlib import Path

import pandas as pd

from rhetoric import paths
from rhetoric.corpus import corpus_fingerprint
from rhetoric.errors import RhetoricInputError, display_path
from rhetoric.figures import save_figure
from rhetoric.measures import document_groups, resolve_group
from rhetoric.pipeline import Processed, process_corpus
from rhetoric.plots import dyad_colors, figure_of, use_style

__all__ = ["Study", "findings", "fmt_interval", "open_study"]


def _escape(text: str) -> str:
    """Text from user files (labels, captions) made safe inside Markdown/HTML: & < > escaped."""
    return html.escape(str(text), quote=False)


def fmt_interval(value: float, low: float, high: float, digits: int = 1) -> str:
    """``"9.9 (2.4–17.5)"``; ``"undefined"`` for a rate without tokens."""
    if pd.isna(value):
        return "undefined (no tokens)"
    return f"{value:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


@dataclass(frozen=True)
class Study:
    """One notebook's view of the study: the processed corpus and the notebook's parameters."""

    notebook: str
    processed: Processed
    data_dir: Path
    figures_dir: Path
    compare_by: str
    group_a: str
    group_b: str
    parameters: dict
    fingerprint: str
    notes: tuple[str, ...] = field(default=())

    # -- labels and colours --------------------------------------------------------
    @property
    def colors(self) -> dict[str, str]:
        """Colour of each dyad (and of each compared group), the same in every figure."""
        dyads = list(dict.fromkeys(self.processed.corpus["dyad"]))
        colors = dyad_colors(dyads, preferred=list(self.processed.parties.dyad_labels))
        if self.compare_by != "dyad":
            palette = dyad_colors(
                [self.group_a, self.group_b], preferred=[self.group_a, self.group_b]
            )
            colors = {**palette, **colors}
        return colors

    @property
    def labels(self) -> dict[str, str]:
        """Readable label of each dyad (parties.yml) and group."""
        dyads = dict.fromkeys(self.processed.corpus["dyad"])
        return {d: self.processed.parties.label(d) for d in dyads}

    def label(self, group: str) -> str:
        return self.labels.get(group, group) if self.compare_by == "dyad" else group

    @property
    def theme_labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.processed.themes}

    # -- saving --------------------------------------------------------------------
    def save(self, drawn, stem: str, caption: str) -> None:
        """Save a figure for papers (``figures/<stem>.{pdf,svg,png}``), record it, show it
        (the saved PNG at 100 dpi) with its caption. ``drawn``: what a ``plot_*``
        function returned (its axes), or a figure."""
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
        # the saved 300 dpi PNG, scaled to 100 dpi: no fourth drawing of the figure
        with Picture.open(next(p for p in written if p.suffix == ".png")) as picture:
            size = (max(1, round(picture.width / 3)), max(1, round(picture.height / 3)))
            shown = io.BytesIO()
            picture.resize(size, Picture.Resampling.LANCZOS).save(shown, format="PNG")
        display(Image(data=shown.getvalue(), format="png"))
        display(
            Markdown(
                f"**Figure `{stem}`.** {_escape(caption)}  \n*Files: `figures/{stem}.pdf`, `.svg`, `.png` (300 dpi).*"
            )
        )

    def show_notes(self) -> None:
        """Print what the study had to decide for itself (missing groups, small groups)."""
        for note in self.notes:
            print("Note:", note)


def _choose_groups(
    processed: Processed, by: str, a: str | None, b: str | None
) -> tuple[str, str, list[str]]:
    """The two groups to compare; if a named group is missing, fall back to the largest ones, with a note."""
    groups = document_groups(processed, by)
    sizes = processed.tokens.groupby("document", observed=False).size().reindex(groups.index)
    by_size = sizes.groupby(groups.to_numpy()).sum().sort_values(ascending=False, kind="mergesort")
    notes = []
    chosen = []
    for name in (a, b):
        try:
            chosen.append(resolve_group(processed, by, name) if name else None)
        except RhetoricInputError:
            notes.append(
                f"group {name!r} is not in this corpus; comparing the largest groups instead."
            )
            chosen.append(None)
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


def _corpus_notes(processed: Processed, by: str) -> list[str]:
    """Where numbers are undefined or rest on very little: say so once, at the top."""
    notes = []
    groups = document_groups(processed, by)
    sizes = groups.value_counts()
    single = sorted(sizes.index[sizes == 1])
    if single and by != "document":
        notes.append(
            f"{len(single)} {by} group(s) hold a single document ({', '.join(single[:6])}"
            f"{', ...' if len(single) > 6 else ''}): their rates describe one text, and their "
            "within-group similarity is undefined (a dash in the heatmaps)."
        )
    dyads = processed.corpus["dyad"]
    odd = sorted({d for d in dyads if d.count("-") != 1})
    if odd:
        notes.append(
            f"statements with one party or more than two ({', '.join(odd)}) are grouped under their party codes "
            "like any dyad."
        )
    hits = processed.hits
    silent = [t.id for t in processed.themes if t.id not in set(hits["theme"].astype(str))]
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
) -> Study:
    """Process the corpus for one notebook and set up figures.

    ``None`` means the default: ``$RHETORIC_DATA`` / ``$RHETORIC_FIGURES``
    (set by ``rhetoric run``) or the project's ``data/`` and ``figures/``.
    """
    use_style()
    pd.set_option("display.precision", 3)
    pd.set_option("display.max_colwidth", 80)
    data = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    figures = Path(figures_dir or os.environ.get("RHETORIC_FIGURES") or paths.FIGURES_DIR)
    processed = process_corpus(data, themes_file=themes_file)
    a, b, notes = _choose_groups(processed, compare_by, group_a, group_b)
    notes += _corpus_notes(processed, compare_by)
    theme_ids = [t.id for t in processed.themes]
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
    }
    return Study(
        notebook=notebook,
        processed=processed,
        data_dir=data,
        figures_dir=figures,
        compare_by=compare_by,
        group_a=a,
        group_b=b,
        parameters=parameters,
        fingerprint=corpus_fingerprint(data),
        notes=tuple(notes),
    )


def findings(study: Study, rates: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The comparison of group A and group B, theme by theme, as a table and as sentences.

    ``rates``: :func:`rhetoric.measures.theme_rates` by ``study.compare_by``.
    Each verdict follows fixed rules, so it changes only when the numbers do:

    - G² p < 0.05 and the two 95% intervals do not overlap (bootstrap; exact
      Poisson for a side with no hit): "more frequent in X";
    - G² p < 0.05 but the intervals overlap: "more frequent in X by G², but
      the intervals overlap: weak evidence";
    - otherwise "no clear difference"; a theme absent from both: "absent".
    """
    from rhetoric.measures import compare_theme_rates

    a, b = study.group_a, study.group_b
    label_a, label_b = study.label(a), study.label(b)
    table = compare_theme_rates(rates, a, b)
    exact = rates.set_index(["group", "theme"])["exact_high"]

    def shown(group, theme, count, value, low, high):
        if count == 0 and not pd.isna(
            value
        ):  # a bootstrap of no hits is [0, 0]: give the exact bound
            return f"0 (exact upper bound {exact[(group, theme)]:.1f})"
        return fmt_interval(value, low, high)

    verdicts, lines = [], []
    for row in table.itertuples():
        theme = study.theme_labels.get(row.theme, row.theme)
        more = label_a if row.g2 > 0 else label_b
        if row.a_count == 0 and row.b_count == 0:
            verdict = "absent from both"
        elif row.p_value < 0.05 and not row.intervals_overlap:
            verdict = f"more frequent in {more}"
        elif row.p_value < 0.05:
            verdict = f"more frequent in {more} by G², but the intervals overlap: weak evidence"
        else:
            verdict = "no clear difference"
        verdicts.append(verdict)
        theme, label_a_md, label_b_md = _escape(theme), _escape(label_a), _escape(label_b)
        lines.append(
            f"- **{theme}**: {label_a_md} {shown(a, row.theme, row.a_count, row.a_per_1000, row.a_ci_low, row.a_ci_high)}"
            f" vs {label_b_md} {shown(b, row.theme, row.b_count, row.b_per_1000, row.b_ci_low, row.b_ci_high)}"
            " per 1,000 tokens "
            f"({row.a_count} vs {row.b_count} hits; G² = {row.g2:+.2f}, p = {row.p_value:.3f}): {verdict}."
        )
    shown = pd.DataFrame(
        {
            "theme": [study.theme_labels.get(t, t) for t in table["theme"]],
            f"{label_a} per 1,000 (95% CI)": [
                shown(a, r.theme, r.a_count, r.a_per_1000, r.a_ci_low, r.a_ci_high)
                for r in table.itertuples()
            ],
            f"{label_b} per 1,000 (95% CI)": [
                shown(b, r.theme, r.b_count, r.b_per_1000, r.b_ci_low, r.b_ci_high)
                for r in table.itertuples()
            ],
            "hits": [f"{r.a_count} vs {r.b_count}" for r in table.itertuples()],
            "G²": table["g2"].round(2),
            "p": table["p_value"].round(3),
            "verdict": verdicts,
        }
    )
    return shown, "\n".join(lines)
