""":mod:`rhetoric.study.plots`: every figure of the study. The only module that draws.

Each ``plot_*`` function takes the tidy table of one measure (as returned by
:mod:`rhetoric.measures.rates`, :mod:`rhetoric.measures.similarity`, ...) and draws it on
``ax`` (one panel) or ``axes`` (several panels, for those that draw one per
theme, group or variant), returning what it drew on: an
:class:`~matplotlib.axes.Axes`, or a NumPy array of them. Without ``ax`` or
``axes`` it makes a figure of its own, sized for a journal column
(:data:`SINGLE` = 3.5 in, :data:`DOUBLE` = 7.2 in wide), with the legend
below it; :func:`figure_of` finds the figure to save. Given axes, legends go
inside the panel and the figure keeps its size, so panels compose. Rates are always
per 1,000 tokens, never raw counts; each dyad has one colour in every figure
(:func:`dyad_colors`, Okabe–Ito, colour-blind safe). Figures stay readable as
the corpus grows: long lists are cut to their top rows (the tables beside the figures
hold them whole), many documents become dots or rows per dyad, labels come whole from
the metadata, legends sit outside the data. :func:`use_style` sets a journal's typeface
(``figure_style``) and one- or two-column width (``figure_width``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
import logging
from pathlib import Path
import textwrap
import unicodedata

from matplotlib.axes import Axes
from matplotlib.figure import Figure, FigureBase
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = [
    "DOUBLE",
    "OKABE_ITO",
    "SINGLE",
    "checked_style",
    "document_labels",
    "dyad_colors",
    "dyad_marker",
    "figure_of",
    "figure_style",
    "figure_width",
    "in_color_order",
    "plot_cleaning",
    "plot_context_similarity",
    "plot_dispersion",
    "plot_document_similarity",
    "plot_keyness",
    "plot_reuse",
    "plot_theme_rates",
    "plot_theme_rates_by_document",
    "plot_theme_similarity",
    "plot_timeline",
    "plot_voice_shares",
    "style_path",
    "style_sheets",
    "use_style",
]

SINGLE, DOUBLE = 3.5, 7.2
#: Okabe & Ito (2008) colour-blind-safe palette (black left out: it is for text).
OKABE_ITO = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#999999",
)
#: Above this many rows, document heatmaps aggregate documents to their dyad.
MAX_HEATMAP_ROWS = 40
#: Annotate heatmap cells with their values up to this many rows.
MAX_ANNOTATED_ROWS = 15
#: Up to this many documents the dispersion plot has a row per document; with more, a row
#: per dyad.
MAX_DISPERSION_ROWS = 15
#: Most rows of a bar chart of documents (the rest are in the table beside the figure).
MAX_BAR_ROWS = 25
#: Up to this many documents the timeline draws intervals and joins each dyad's points.
MAX_TIMELINE_INTERVALS = 12


def style_path() -> str:
    """Path of the package's matplotlib style (``rhetoric.mplstyle``).

    Returns
    -------
    str
        The style file's path in the installed package.
    """
    return str(resources.files("rhetoric").joinpath("rhetoric.mplstyle"))


#: The font that draws what the body font lacks (Chinese; Cyrillic is in DejaVu): WenQuanYi
#: Micro Hei, a TrueType font (Apache 2.0) that the ``mpl-font`` wheel installs. Matplotlib
#: falls back to it glyph by glyph (``font.family`` is a list), embeds it in PDF as TrueType
#: like DejaVu, and names it after DejaVu in SVG's ``font-family``.
CJK_FONT = "WenQuanYi Micro Hei"


@lru_cache(maxsize=1)
def _cjk_font_file() -> str:
    """Register :data:`CJK_FONT` with matplotlib (once) and return its file.

    The ``mpl_font`` package is found, not imported (importing it would change rcParams).
    """
    import importlib.util

    from matplotlib import font_manager

    spec = importlib.util.find_spec("mpl_font")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the mpl-font package (the Chinese font of figures) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "wqy" / "wqy-microhei.ttc"
    font_manager.fontManager.addfont(str(path))
    # it has one weight: bold Chinese is drawn regular, which matplotlib would log at every
    # bold title (in a notebook's output) even when the title has no Chinese character
    logging.getLogger("matplotlib.font_manager").addFilter(_not_about_cjk_weight)
    return str(path)


def _not_about_cjk_weight(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return not (CJK_FONT in message and "weight" in message)


def _with_cjk_font(overrides: dict[str, object]) -> dict[str, object]:
    """``overrides`` with :data:`CJK_FONT` after the body font in ``font.family``."""
    _cjk_font_file()
    return {**overrides, "font.family": [overrides.get("font.family") or _style_font(), CJK_FONT]}


@lru_cache(maxsize=1)
def _style_font() -> str:
    """The body font of the package's style file."""
    import matplotlib

    return matplotlib.rc_params_from_file(style_path(), use_default_template=False)["font.family"][
        0
    ]


#: The overrides of the package's style that :func:`use_style` last set (a journal's font).
_OVERRIDES: dict[str, object] = {}
#: The width of new figures that :func:`use_style` last set: ``double`` or ``single``.
_WIDTH = {"columns": "double"}
WIDTHS = {"double": DOUBLE, "single": SINGLE}


def figure_width(*, fits_one_column: bool = True) -> float:
    """Width in inches of a new figure: one journal column (:data:`SINGLE`) when
    :func:`use_style` asked for ``single`` and the figure fits one, else two
    (:data:`DOUBLE`).

    Parameters
    ----------
    fits_one_column : bool, default True
        False for a figure that needs two columns whatever was asked (side-by-side
        heatmaps).

    Returns
    -------
    float
        3.5 or 7.2.
    """
    return SINGLE if _WIDTH["columns"] == "single" and fits_one_column else DOUBLE


def figure_style(text: str = "") -> dict[str, object]:
    """The matplotlib settings of a ``figure_style`` parameter: ``"font=NAME; size=N"``
    (either part may be left out; ``""``: none). ``size`` is the body text in points;
    titles are drawn a point larger, ticks and legends a point smaller, as in the
    package's style (8, 9 and 7 points).

    Parameters
    ----------
    text : str, default ""
        The parameter, e.g. ``"font=DejaVu Serif; size=9"``.

    Returns
    -------
    dict
        rcParams (``font.family`` and the font sizes).

    Raises :class:`RhetoricInputError` (one line) for another key, a size that is not a
    number from 5 to 14, or a font that matplotlib cannot find on this machine (it would
    otherwise fall back to another one without saying so).
    """
    from matplotlib import font_manager

    from rhetoric.errors import RhetoricInputError

    settings: dict[str, object] = {}
    for part in filter(None, (p.strip() for p in str(text or "").split(";"))):
        key, _sep, value = (x.strip() for x in part.partition("="))
        if key == "font" and value in ("serif", "sans-serif", "monospace"):
            settings["font.family"] = value  # a generic family: matplotlib's default of it
        elif key == "font" and value and not {",", "="} & set(value):
            try:
                font_manager.findfont(font_manager.FontProperties(family=value),
                                      fallback_to_default=False)  # fmt: skip
            except ValueError:
                raise RhetoricInputError(
                    f"figure_style: no font {value!r} on this machine (matplotlib finds fonts "
                    "installed for the system or in its own folder; DejaVu Sans and DejaVu "
                    "Serif always are)") from None  # fmt: skip
            settings["font.family"] = value
        elif key == "size" and 5 <= _number(value) <= 14:
            size = _number(value)
            settings.update({"font.size": size, "axes.labelsize": size,
                             "axes.titlesize": size + 1, "xtick.labelsize": size - 1,
                             "ytick.labelsize": size - 1, "legend.fontsize": size - 1})  # fmt: skip
        else:
            raise RhetoricInputError(
                f"figure_style: {part!r} is not font=NAME or size=N (5 to 14 points); "
                "e.g. figure_style='font=DejaVu Serif; size=9'")  # fmt: skip
    return settings


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def checked_style(style: str = "", width: str = "double") -> dict[str, object]:
    """The settings of ``figure_style`` (:func:`figure_style`), after checking it and
    ``figure_width``; raises :class:`RhetoricInputError` (one line) for either.

    Parameters
    ----------
    style : str, default ""
        ``"font=NAME; size=N"``, or ``""``.
    width : str, default "double"
        ``double`` or ``single`` (:data:`WIDTHS`).

    Returns
    -------
    dict
        rcParams, as :func:`figure_style` gives them.
    """
    from rhetoric.errors import RhetoricInputError

    overrides = figure_style(style)
    if width not in WIDTHS:
        raise RhetoricInputError(f"figure_width={width}: use double (7.2 in) or single (3.5 in)")
    return overrides


def use_style(style: str = "", width: str = "double") -> None:
    """Make the project's style, with a ``figure_style`` parameter's font and size
    (:func:`figure_style`), the default for every later figure and for saving them
    (notebooks call this once, through :func:`rhetoric.study.context.open_study`).

    Parameters
    ----------
    style : str, default ""
        ``"font=NAME; size=N"``, or ``""`` for the package's style as it is.
    width : {"double", "single"}, default "double"
        New figures two journal columns wide (7.2 in), or one (3.5 in) where the figure
        fits one (:func:`figure_width`).
    """
    overrides = checked_style(style, width)  # before anything is set
    _WIDTH["columns"] = width
    _OVERRIDES.clear()
    _OVERRIDES.update(_with_cjk_font(overrides))
    plt.style.use([style_path(), dict(_OVERRIDES)])


def style_sheets() -> list:
    """The style and the overrides :func:`use_style` last set, for ``plt.style.context``.

    Returns
    -------
    list
        :func:`style_path` and a dict of rcParams (empty for the package's style).
    """
    return [style_path(), dict(_OVERRIDES) or _with_cjk_font({})]


def dyad_colors(dyads: Sequence[str], *, preferred: Sequence[str] = ()) -> dict[str, str]:
    """One colour per dyad: ``preferred`` dyads (parties.yml order) first, then the rest sorted.

    The same dyad keeps its colour when others are added after it.

    Parameters
    ----------
    dyads : sequence of str
        The dyads (or groups) to colour; repeats are ignored.
    preferred : sequence of str, default ()
        Dyads coloured first, in this order (those not in ``dyads`` are skipped).

    Returns
    -------
    dict of str to str
        Dyad -> hex colour of :data:`OKABE_ITO`, in colour order (the palette repeats
        after eight dyads).
    """
    order = [d for d in preferred if d in set(dyads)] + sorted(set(dyads) - set(preferred))
    return {dyad: OKABE_ITO[i % len(OKABE_ITO)] for i, dyad in enumerate(order)}


def in_color_order(groups, colors: Mapping[str, str]) -> list[str]:
    """``groups`` (repeats dropped) in the order of ``colors`` (:func:`dyad_colors`), the
    one order of groups in every figure; groups without a colour last, as given.

    Parameters
    ----------
    groups : iterable of str
        The groups (dyads, or the values of another document variable).
    colors : mapping of str to str
        Group -> colour; only its order counts.

    Returns
    -------
    list of str
        The groups, each once.
    """
    rank = {g: i for i, g in enumerate(colors)}
    given = list(dict.fromkeys(groups))
    return sorted(given, key=lambda g: (rank.get(g, len(rank)), given.index(g)))


def _lines(text: str, width: int) -> list[str]:
    """``textwrap.wrap`` with a Chinese (East Asian wide) character counted as two: each is
    paired with a placeholder while wrapping."""
    if text.isascii() or not any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return textwrap.wrap(text, width)
    paired = "".join(c + "\0" if unicodedata.east_asian_width(c) in "WF" else c for c in text)
    return [line.replace("\0", "") for line in textwrap.wrap(paired, width)]


def _wrap(label: str, width: int = 16) -> str:
    return "\n".join(_lines(label, width)) or label


def figure_of(drawn) -> Figure:
    """The figure to save of what a ``plot_*`` function returned (an Axes, an array of
    them, or a figure).

    Parameters
    ----------
    drawn : matplotlib.axes.Axes, array of Axes, or figure
        What was drawn; of an array, its first element counts.

    Returns
    -------
    matplotlib.figure.Figure
        The top-level figure (of a subfigure, the figure that holds it).
    """
    if not isinstance(drawn, Axes | FigureBase):
        return figure_of(np.asarray(drawn, dtype=object).flat[0])
    figure = drawn.figure if isinstance(drawn, Axes) else drawn
    while not isinstance(figure, Figure):  # a subfigure: its figure
        figure = figure.figure
    return figure


def _taller(figsize) -> tuple[float, float]:
    """``figsize`` with its height grown in proportion to a ``figure_style`` size above the
    style's 8 pt (rows of text need that much more room; the width is the journal's)."""
    scale = max(1.0, float(plt.rcParams["font.size"]) / 8)
    return figsize[0], min(figsize[1] * scale, max(figsize[1], 9.5))  # a page's height at most


def _new_axes(ax, figsize) -> tuple[Axes, bool]:
    """``ax``, or the axes of a new figure of ``figsize``; and whether the figure is new."""
    if ax is not None:
        return ax, False
    _fig, ax = plt.subplots(figsize=_taller(figsize))
    return ax, True


def _panels(axes, n: int, nrows: int, ncols: int, *, figsize, **grid) -> tuple[np.ndarray, bool]:
    """Panel axes as a 2-D array: the caller's ``axes`` (at least ``n`` of them, in any
    shape; a flat sequence is one row), or a new figure's ``nrows`` × ``ncols`` grid; and
    whether the figure is new."""
    if axes is None:
        _fig, made = plt.subplots(nrows, ncols, figsize=_taller(figsize), squeeze=False, **grid)
        return made, True
    given = np.asarray(axes, dtype=object)
    given = given.reshape(1, -1) if given.ndim < 2 else given
    if given.size < n:
        raise ValueError(f"{n} panels to draw, but {given.size} axes given")
    return given, False


def _chars(inches: float, per_inch: float = 12) -> int:
    """Characters of text that fit ``inches`` at the style's font size (``per_inch`` of them
    at 8 pt; fewer with a larger ``figure_style`` size)."""
    return max(8, int(inches * per_inch * 8 / float(plt.rcParams["font.size"])))


def _figure_title(ax, title: str, *, own: bool = True) -> None:
    """A long title across the whole figure, at its left edge, wrapped to its width (the
    axes' own title starts after the row labels and would run past the edge); on axes the
    caller gave (``own`` False), the axes' title, wrapped to the axes."""
    width = ax.figure.get_size_inches()[0]
    if not own:
        ax.set_title("\n".join(_lines(title, _chars(width / 2))), loc="left")
        return
    ax.figure.suptitle("\n".join(_lines(title, _chars(width))), x=0.01, ha="left",
                       fontsize=plt.rcParams["axes.titlesize"], fontweight="bold")  # fmt: skip


def _legend(ax, handles, labels, *, below: bool, ncol: int | None = None) -> None:
    """The legend below the figure (``below``: the figure is the function's own), or in
    the panel."""
    ncol = ncol or min(len(labels), 4)
    if ax.figure.get_figwidth() <= SINGLE:  # one column: at most two entries a row
        ncol = min(ncol, 2)
    if below:
        ax.figure.legend(handles, labels, loc="outside lower center", ncol=ncol)
    elif labels:
        ax.legend(handles, labels, fontsize=6)


# -- theme rates -----------------------------------------------------------------------


def plot_theme_rates(
    rates: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    theme_labels: Mapping[str, str],
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Theme rates per group with their 95% intervals (dots and whiskers), themes as rows.

    ``rates``: :func:`rhetoric.measures.rates.theme_rates` output (``group``,
    ``theme``, ``per_1000``, ``ci_low``, ``ci_high``, ``count``; ``interval``
    names the whiskers in the axis label). A group without an interval (NaN)
    is drawn as a dot without whiskers.

    Parameters
    ----------
    rates : pandas.DataFrame
        The rates (see above): per 1,000 word tokens; with at most four groups each
        whisker's end is labelled with ``count`` (``n=``).
    colors : mapping of str to str
        Group -> colour (``Study.colors``); a group without one is grey.
    labels : mapping of str to str
        Group -> legend label (default: the group itself).
    theme_labels : mapping of str to str
        Theme id -> row label (default: the id).
    title : str, optional
        Title of the axes.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (the legend then goes inside); default: a new figure,
        :func:`figure_width` wide, with the legend below.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    groups = in_color_order(rates["group"], colors)
    themes = list(dict.fromkeys(rates["theme"]))
    height = 0.9 + 0.32 * len(themes) * max(1, len(groups) / 2.5)
    ax, own = _new_axes(ax, (figure_width(), min(height, 9.0)))
    step = 0.8 / max(len(groups), 1)
    for g, group in enumerate(groups):
        part = rates[rates["group"] == group].set_index("theme").reindex(themes)
        y = np.arange(len(themes)) - 0.4 + step * (g + 0.5)
        # no whisker where a group has no interval (too few documents)
        low = (part["per_1000"] - part["ci_low"]).clip(lower=0).fillna(0)
        high = (part["ci_high"] - part["per_1000"]).clip(lower=0).fillna(0)
        ax.errorbar(part["per_1000"], y, xerr=[low, high], fmt=dyad_marker(group, colors),
                    color=colors.get(group, "#555555"),
                    ecolor=colors.get(group, "#555555"), elinewidth=1, capsize=2, markersize=4,
                    label=labels.get(group, group))  # fmt: skip
        ends = part["ci_high"].fillna(part["per_1000"])
        for yy, n, x in zip(y, part["count"], ends, strict=True):
            if len(groups) <= 4 and not np.isnan(x):
                ax.annotate(f"n={int(n)}", (x, yy), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=6, color="#555555")  # fmt: skip
    ax.set_yticks(np.arange(len(themes)), [_wrap(theme_labels.get(t, t), 22) for t in themes])
    ax.invert_yaxis()
    ax.set_xlabel(_wrap(f"hits per 1,000 tokens ({_interval_words(rates)})",
                        _chars(ax.figure.get_figwidth(), 11)))  # fmt: skip
    ax.set_xlim(left=0)
    ax.grid(axis="x")
    if title:
        ax.set_title(title, loc="left")
    handles, legend_labels = ax.get_legend_handles_labels()
    _legend(ax, handles, legend_labels, below=own)
    return ax


def _interval_words(rates: pd.DataFrame) -> str:
    """What the whiskers of a rates plot are, from the table's ``interval`` column."""
    methods = rates["interval"].astype(str) if "interval" in rates else pd.Series(dtype=str)
    if methods.str.startswith("sentence bootstrap").any():
        return "95% bootstrap interval over each document's sentences"
    if methods.str.startswith("robust").any():
        return "95% interval, documents as the unit; no whisker: too few documents"
    if len(methods) and rates["ci_low"].isna().all():
        return "pooled; no interval: every group has too few documents"
    return "95% interval"


def _text_color(image, value: float) -> str:
    """Black or white, whichever reads better on the cell's colour."""
    if np.isnan(value):
        return "black"
    r, g, b, _a = image.cmap(image.norm(value))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def _heatmap(ax, matrix: np.ndarray, rows: Sequence[str], cols: Sequence[str], *, vmin, vmax, cmap, fmt, annotate,
             rotate: bool = True):  # fmt: skip
    grey_missing = plt.get_cmap(cmap).with_extremes(bad="#eeeeee")
    image = ax.imshow(np.ma.masked_invalid(matrix), aspect="auto", cmap=grey_missing, vmin=vmin,
                      vmax=vmax)  # fmt: skip
    if rotate:
        ax.set_xticks(np.arange(len(cols)), cols, rotation=30, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(np.arange(len(cols)), cols)
    ax.set_yticks(np.arange(len(rows)), rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate:
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                value = matrix[i, j]
                text = "–" if np.isnan(value) else format(value, fmt)
                ax.text(
                    j,
                    i,
                    text,
                    ha="center",
                    va="center",
                    fontsize=6,
                    color=_text_color(image, value),
                )
    return image


def _document_order(corpus: pd.DataFrame, colors: Mapping[str, str]) -> list[str]:
    """Documents grouped by dyad (in colour order), then by date and id."""
    rank = {dyad: i for i, dyad in enumerate(colors)}
    frame = corpus.assign(_rank=corpus["dyad"].map(lambda d: rank.get(d, len(rank))))
    return list(frame.sort_values(["_rank", "dyad", "date", "id"])["id"])


#: One mark per dyad (in colour order), so that dyads stay apart in greyscale print: a marker
#: for points, and the same shape as a character before row labels.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_GLYPHS = ("●", "■", "▲", "◆", "▼", "✚", "✖", "★")
_KINDS = {"joint_statement": "statement", "news_article": "news", "press_release": "release"}


def dyad_marker(dyad: str, colors: Mapping[str, str]) -> str:
    """The matplotlib marker of a dyad (or group), by its place in ``colors``.

    Parameters
    ----------
    dyad : str
        The dyad or group.
    colors : mapping of str to str
        Dyad -> colour (:func:`dyad_colors`); only its order counts.

    Returns
    -------
    str
        One of :data:`MARKERS` (repeating after eight), ``"o"`` for a dyad not in
        ``colors``.
    """
    order = list(colors)
    return MARKERS[order.index(dyad) % len(MARKERS)] if dyad in order else "o"


def _glyph(dyad: str, colors: Mapping[str, str]) -> str:
    return _GLYPHS[MARKERS.index(dyad_marker(dyad, colors))]


def document_labels(corpus: pd.DataFrame) -> dict[str, str]:
    """A readable label of each document from its metadata, never cut: date, kind and
    outlet (``2020-04-25 news, The Moscow Times``), numbered where documents would share
    one (``2020-04-25 news, Reuters (2)``, in id order).

    Parameters
    ----------
    corpus : pandas.DataFrame
        The document table (:attr:`rhetoric.corpus.Corpus.documents`): ``id``, ``date``,
        ``kind`` and, if any, ``outlet``. Without ``date`` or ``kind``, labels are the ids.

    Returns
    -------
    dict of str to str
        Document id -> label, each label unique. Kinds are shortened (``statement``,
        ``news``, ``release``; others with spaces for underscores).
    """
    if not {"date", "kind"} <= set(corpus.columns):  # a table without the metadata: the ids
        return {d: str(d) for d in corpus["id"]}
    labels = {}
    for row in corpus.sort_values("id").itertuples():
        kind = _KINDS.get(row.kind, str(row.kind).replace("_", " "))
        outlet = f", {row.outlet}" if getattr(row, "outlet", "") else ""
        labels[row.id] = f"{row.date} {kind}{outlet}"
    counts = pd.Series(list(labels.values())).value_counts()
    seen: dict[str, int] = {}
    for doc, label in labels.items():
        if counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            labels[doc] = f"{label} ({seen[label]})"
    return {d: labels[d] for d in corpus["id"]}


def _color_row_labels(ax, rows_dyads: Sequence[str], colors: Mapping[str, str]) -> None:
    """Row labels in their dyad's colour, after their dyad's mark."""
    texts = [t.get_text() for t in ax.get_yticklabels()]
    marked = [t if t.startswith(f"{_glyph(d, colors)} ") else f"{_glyph(d, colors)} {t}"
              for t, d in zip(texts, rows_dyads, strict=True)]  # fmt: skip
    ax.set_yticks(ax.get_yticks(), marked)  # once, also where panels share the labels
    for label, dyad in zip(ax.get_yticklabels(), rows_dyads, strict=True):
        label.set_color(colors.get(dyad, "black"))


def plot_theme_rates_by_document(
    rates: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    theme_labels: Mapping[str, str],
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of theme rates (per 1,000 tokens), documents × themes; row labels coloured by dyad.

    With more than :data:`MAX_HEATMAP_ROWS` documents, a strip plot instead: themes as
    rows, each document a dot at its rate within its dyad's strip, and the dyad's pooled
    rate as a black bar, so that a group rate can be traced to its documents at any size.

    Parameters
    ----------
    rates : pandas.DataFrame
        :func:`rhetoric.measures.rates.theme_rates` with ``by="document"`` (``group``:
        document id, ``theme``, ``per_1000``; ``count`` and ``tokens`` for pooled rows,
        sum of counts / sum of tokens × 1,000). Cells are written in up to
        :data:`MAX_ANNOTATED_ROWS` rows.
    corpus : pandas.DataFrame
        The document table (:attr:`rhetoric.corpus.Corpus.documents`): ``id``, ``dyad``,
        ``date`` and the columns of :func:`document_labels`.
    colors : mapping of str to str
        Dyad -> colour (:func:`dyad_colors`, e.g. ``Study.colors``); its order sorts the
        document rows by dyad and gives each dyad's mark.
    labels : mapping of str to str
        Dyad -> label (legend).
    theme_labels : mapping of str to str
        Theme id -> column label.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: a new figure, :func:`figure_width` wide, with the legend below.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a colour bar is added next to them).
    """
    themes = list(dict.fromkeys(rates["theme"]))
    table = rates.pivot(index="group", columns="theme", values="per_1000")[themes]
    dyad_of = corpus.set_index("id")["dyad"]
    if len(table) > MAX_HEATMAP_ROWS:
        return _document_strips(rates, dyad_of, themes, colors=colors, labels=labels,
                                theme_labels=theme_labels, ax=ax)  # fmt: skip
    order = _document_order(corpus, colors)
    table = table.reindex([d for d in order if d in table.index])
    rows_dyads = [dyad_of[d] for d in table.index]
    names = document_labels(corpus)
    row_labels = [names.get(d, d) for d in table.index]
    title = "Theme rates per document"
    height = 1.4 + 0.22 * len(table)
    ax, own = _new_axes(ax, (figure_width(fits_one_column=False), min(max(height, 2.4), 9.5)))
    values = table.to_numpy(dtype=float)
    image = _heatmap(ax, values, row_labels, [theme_labels.get(t, t) for t in themes],
                     vmin=0, vmax=np.nanmax(values) if np.isfinite(values).any() else 1, cmap="Blues",
                     fmt=".1f", annotate=len(table) <= MAX_ANNOTATED_ROWS)  # fmt: skip
    _color_row_labels(ax, rows_dyads, colors)
    ax.figure.colorbar(image, ax=ax, label="hits per 1,000 tokens", shrink=0.8)
    ax.set_title(title, loc="left")
    _dyad_key(ax, rows_dyads, colors, labels, below=own)
    return ax


def _document_strips(rates, dyad_of, themes, *, colors, labels, theme_labels, ax) -> Axes:
    """Each document's rate as a dot, themes as rows and each dyad a strip within its row,
    with the dyad's pooled rate (its hits over its tokens) as a black bar across its strip:
    the group rate and the documents behind it, at any number of documents."""
    data = rates.assign(dyad=rates["group"].map(dyad_of))
    dyads = in_color_order(data["dyad"], colors)
    step = 0.8 / max(len(dyads), 1)
    height = 0.9 + 0.32 * len(themes) * max(1, len(dyads) / 2.5)
    ax, own = _new_axes(ax, (figure_width(), min(height, 9.0)))
    jitter = np.random.default_rng(0)  # the same dots at every run
    for g, dyad in enumerate(dyads):
        part = data[data["dyad"] == dyad]
        for i, theme in enumerate(themes):
            rows = part[part["theme"] == theme]
            centre = i - 0.4 + step * (g + 0.5)
            spread = jitter.uniform(-0.3, 0.3, len(rows)) * step
            ax.scatter(rows["per_1000"], centre + spread, s=7, alpha=0.6, linewidths=0,
                       marker=dyad_marker(dyad, colors), color=colors.get(dyad, "#555555"),
                       label=labels.get(dyad, dyad) if i == 0 else None)  # fmt: skip
            tokens = rows["tokens"].sum()
            if tokens > 0:
                pooled = rows["count"].sum() / tokens * 1000
                ax.plot([pooled, pooled], [centre - step * 0.45, centre + step * 0.45],
                        color="black", linewidth=1.6, solid_capstyle="butt")  # fmt: skip
    ax.set_yticks(np.arange(len(themes)), [_wrap(theme_labels.get(t, t), 22) for t in themes])
    ax.set_ylim(len(themes) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.grid(axis="x")
    ax.set_xlabel(_wrap("hits per 1,000 tokens in each document (dots); the dyad's pooled rate "
                        "(bar)", _chars(ax.figure.get_figwidth(), 11)))  # fmt: skip
    _figure_title(
        ax, f"Theme rates per document ({rates['group'].nunique()} documents)", own=own
    )  # across the figure: the theme labels leave the axes narrow
    handles, legend_labels = ax.get_legend_handles_labels()
    handles.append(plt.Line2D([], [], color="black", linewidth=1.6, marker="|", linestyle=""))
    _legend(ax, handles, [*legend_labels, "pooled rate of the dyad"], below=own)
    return ax


def _dyad_key(
    ax, dyads: Sequence[str], colors: Mapping[str, str], labels: Mapping[str, str], *, below: bool
) -> None:
    seen = in_color_order(dyads, colors)
    handles = [plt.Line2D([], [], marker=dyad_marker(d, colors), linestyle="",
                          color=colors.get(d, "black")) for d in seen]  # fmt: skip
    _legend(ax, handles, [labels.get(d, d) for d in seen], below=below)  # rows: colour, mark


# -- similarity ------------------------------------------------------------------------


def _dyad_means(frame: pd.DataFrame, dyad_of: Mapping[str, str]) -> pd.DataFrame:
    """Mean cosine between the documents of each pair of dyads (a document with itself left out)."""
    pairs = frame[frame["a"] != frame["b"]].assign(
        da=frame["a"].map(dyad_of), db=frame["b"].map(dyad_of)
    )
    flipped = pairs.rename(columns={"da": "db", "db": "da"})
    both = pd.concat([pairs, flipped], ignore_index=True)
    means = both.groupby(["da", "db"], sort=False)["cosine"].mean().reset_index()
    return means.rename(columns={"da": "a", "db": "b"})


def plot_document_similarity(
    panels: Mapping[str, pd.DataFrame],
    corpus: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    axes=None,
) -> np.ndarray:
    """One heatmap of cosine similarity per panel (e.g. all tokens / without function words).

    ``panels``: title -> :func:`rhetoric.measures.similarity.document_similarity` output
    (``a``, ``b``, ``cosine``; one triangle). With more than
    :data:`MAX_HEATMAP_ROWS` documents, cells are dyads: the mean cosine
    between their documents (a document with itself left out). Returns the panels' axes.

    Parameters
    ----------
    panels : mapping of str to pandas.DataFrame
        Panel title -> similarity table (see above); rows and columns are its
        documents (or groups), values are written in up to :data:`MAX_ANNOTATED_ROWS`.
    corpus : pandas.DataFrame
        The document table (:attr:`rhetoric.corpus.Corpus.documents`): ``id``, ``dyad``,
        ``date`` and the columns of :func:`document_labels`.
    colors : mapping of str to str
        Dyad -> colour (:func:`dyad_colors`, e.g. ``Study.colors``); its order sorts the
        document rows by dyad and gives each dyad's mark.
    labels : mapping of str to str
        Dyad -> label (legend; rows when cells are dyads or groups).
    axes : array of matplotlib.axes.Axes, optional
        At least one axes per panel; default: a new figure, the panels in one row.

    Returns
    -------
    numpy.ndarray
        One axes per panel, in the order of ``panels``.
    """
    dyad_of = corpus.set_index("id")["dyad"].to_dict()
    first = next(iter(panels.values()))
    names = list(dict.fromkeys(list(first["a"]) + list(first["b"])))
    pooled = len(names) > MAX_HEATMAP_ROWS and all(n in dyad_of for n in names)
    if pooled:
        panels = {title: _dyad_means(frame, dyad_of) for title, frame in panels.items()}
        names = [d for d in colors if d in set(dyad_of.values())]
    is_docs = all(name in dyad_of for name in names)
    if is_docs:  # the one document order of every figure: by dyad, then date
        names = [d for d in _document_order(corpus, colors) if d in set(names)]
    side = min(1.6 + 0.28 * len(names), 7.0)
    n_panels = len(panels)
    grid, own = _panels(axes, n_panels, 1, n_panels,
                        figsize=(figure_width(fits_one_column=n_panels == 1 and not is_docs), side))  # fmt: skip
    drawn = grid.ravel()[:n_panels]
    for ax, (title, frame) in zip(drawn, panels.items(), strict=True):
        matrix = np.full((len(names), len(names)), np.nan)
        index = {name: i for i, name in enumerate(names)}
        for a, b, value in frame[["a", "b", "cosine"]].itertuples(index=False):
            if a in index and b in index:
                matrix[index[a], index[b]] = matrix[index[b], index[a]] = value
        readable = document_labels(corpus)
        # documents: numbered rows, the columns their numbers (a square of long labels
        # leaves no room for the cells); the panels of one figure share the row labels
        shown = [f"{k}. {readable[n]}" if is_docs else labels.get(n, n)
                 for k, n in enumerate(names, 1)]  # fmt: skip
        columns = [str(k) for k in range(1, len(names) + 1)] if is_docs else shown
        annotate = len(names) <= MAX_ANNOTATED_ROWS
        image = _heatmap(ax, matrix, shown, columns if annotate else [""] * len(names), vmin=0,
                         vmax=1, cmap="viridis", fmt=".2f", annotate=annotate,
                         rotate=not is_docs)  # fmt: skip
        if not annotate:
            ax.set_xticks([])
        _color_row_labels(ax, [dyad_of[n] for n in names] if is_docs else names, colors)
        if own and ax is not drawn[0]:
            ax.set_yticks(ax.get_yticks(), [])
        ax.set_title(title + ("\n(mean over documents)" if pooled else ""), loc="left", fontsize=8)
    drawn[0].figure.colorbar(image, ax=drawn.tolist(), label="cosine similarity\n(TF-IDF)",
                             shrink=0.8)  # fmt: skip
    if is_docs:
        _dyad_key(drawn[-1], [dyad_of[n] for n in names], colors, labels, below=own)
    return drawn


def plot_theme_similarity(
    frame: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    theme_labels: Mapping[str, str],
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of document–theme cosine (:func:`rhetoric.measures.similarity.theme_similarity`).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``theme_similarity`` output (``document``, ``theme``, ``cosine``). With more than
        :data:`MAX_HEATMAP_ROWS` documents, rows are dyads: the mean over their
        documents. Cells are written in up to :data:`MAX_ANNOTATED_ROWS` rows.
    corpus : pandas.DataFrame
        The document table (:attr:`rhetoric.corpus.Corpus.documents`): ``id``, ``dyad``,
        ``date`` and the columns of :func:`document_labels`.
    colors : mapping of str to str
        Dyad -> colour (:func:`dyad_colors`, e.g. ``Study.colors``); its order sorts the
        document rows by dyad and gives each dyad's mark.
    labels : mapping of str to str
        Dyad -> label (legend; rows when they are dyads).
    theme_labels : mapping of str to str
        Theme id -> column label.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: a new figure, :func:`figure_width` wide, with the legend below.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a colour bar is added next to them).
    """
    themes = list(dict.fromkeys(frame["theme"]))
    table = frame.pivot(index="document", columns="theme", values="cosine")[themes]
    dyad_of = corpus.set_index("id")["dyad"]
    title = "Similarity of each document to each theme lexicon"
    if len(table) > MAX_HEATMAP_ROWS:
        table = table.groupby(dyad_of.reindex(table.index).to_numpy(), sort=False).mean()
        table = table.reindex(in_color_order(table.index, colors))  # the one group order
        rows_dyads = list(table.index)
        row_labels = [labels.get(d, d) for d in rows_dyads]
        title = "Similarity to each theme lexicon (mean over each dyad's documents)"
    else:
        order = _document_order(corpus, colors)
        table = table.reindex([d for d in order if d in table.index])
        rows_dyads = [dyad_of[d] for d in table.index]
        names = document_labels(corpus)
        row_labels = [names.get(d, d) for d in table.index]
    values = table.to_numpy(dtype=float)
    ax, own = _new_axes(ax, (figure_width(fits_one_column=False),
                             min(max(1.4 + 0.22 * len(table), 2.4), 9.5)))  # fmt: skip
    image = _heatmap(ax, values, row_labels, [theme_labels.get(t, t) for t in themes], vmin=0,
                     vmax=max(float(np.nanmax(values)) if np.isfinite(values).any() else 0, 0.05), cmap="Purples",
                     fmt=".2f", annotate=len(table) <= MAX_ANNOTATED_ROWS)  # fmt: skip
    _color_row_labels(ax, rows_dyads, colors)
    ax.figure.colorbar(image, ax=ax, label="cosine similarity\n(TF-IDF)", shrink=0.8)
    ax.set_title(title, loc="left")
    _dyad_key(ax, rows_dyads, colors, labels, below=own)
    return ax


def plot_context_similarity(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    theme_labels: Mapping[str, str],
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of how alike groups frame each theme (:func:`rhetoric.measures.similarity.context_similarity`).

    Up to three group pairs: rows are themes, columns pairs, and each cell
    shows the cosine and the number of context sentences on each side. More
    pairs: rows are pairs, columns themes, cells the cosine only (the sizes
    are in the table). Grey cells: a group has no hit.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``context_similarity`` output (``theme``, ``a``, ``b``, ``cosine``,
        ``a_sentences``, ``b_sentences``).
    labels : mapping of str to str
        Group -> label, for the pairs' names (default: the group itself).
    theme_labels : mapping of str to str
        Theme id -> label.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: a new figure, its size set by the numbers of themes and
        pairs.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a colour bar is added next to them).
    """
    themes = list(dict.fromkeys(frame["theme"]))
    pairs = list(dict.fromkeys(zip(frame["a"], frame["b"], strict=True)))
    index = frame.set_index(["theme", "a", "b"])
    matrix = np.full((len(themes), len(pairs)), np.nan)
    notes = [["" for _ in pairs] for _ in themes]
    for i, theme in enumerate(themes):
        for j, pair in enumerate(pairs):
            row = index.loc[(theme, *pair)]
            matrix[i, j] = row["cosine"]
            value = "no hit" if np.isnan(row["cosine"]) else f"{row['cosine']:.2f}"
            notes[i][j] = f"{value}\n({int(row['a_sentences'])} vs {int(row['b_sentences'])})"
    pair_labels = [f"{labels.get(a, a)} vs {labels.get(b, b)}" for a, b in pairs]
    theme_names = [theme_labels.get(t, t) for t in themes]
    if len(pairs) <= 3:
        width = SINGLE if len(pairs) == 1 else DOUBLE  # one column, or two
        ax, _own = _new_axes(ax, (width, 1.0 + 0.42 * len(themes)))
        image = _heatmap(ax, matrix, [_wrap(t, 22) for t in theme_names], [_wrap(p, 18) for p in pair_labels],
                         vmin=0, vmax=1, cmap="viridis", fmt=".2f", annotate=False, rotate=False)  # fmt: skip
        for i in range(len(themes)):
            for j in range(len(pairs)):
                ax.text(
                    j,
                    i,
                    notes[i][j],
                    ha="center",
                    va="center",
                    fontsize=6,
                    color=_text_color(image, matrix[i, j]),
                )
        label = "cosine of theme contexts (sentences with a hit)"
    else:
        ax, _own = _new_axes(ax, (DOUBLE, max(3.2, 1.6 + 0.24 * len(pairs))))
        image = _heatmap(ax, matrix.T, pair_labels, theme_names, vmin=0, vmax=1,
                         cmap="viridis", fmt=".2f", annotate=len(pairs) <= 30)  # fmt: skip
        label = "cosine of theme contexts\n(grey: no hit in a group)"
    ax.figure.colorbar(image, ax=ax, label=label, shrink=0.8)
    return ax


# -- keyness ---------------------------------------------------------------------------


def plot_keyness(
    frame: pd.DataFrame,
    *,
    target_label: str,
    reference_label: str,
    target_color: str,
    reference_color: str,
    top: int = 12,
    ax: Axes | None = None,
) -> Axes:
    """Two-sided keyness: the ``top`` terms most over-used on each side, by Log Ratio.

    ``frame``: :func:`rhetoric.measures.keyterms.keyness` output (its ``min_documents``
    has already dropped terms of a single document). Bars are Log Ratio
    (log2 of the ratio of relative frequencies; +: target, −: reference),
    ties broken by G²; each label shows the counts and the documents holding
    the term (target / reference), so a reader sees how little may stand
    behind a bar. A term whose document-level test survives
    Benjamini–Hochberg (``doc_p_adjusted < 0.05``) is marked with an asterisk.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``keyness`` output; uses ``term``, ``log_ratio``, ``g2``, ``target_count``,
        ``reference_count``, ``target_documents``, ``reference_documents`` and, if
        there, ``doc_p_adjusted``.
    target_label, reference_label : str
        Names of the two sides in the legend and axis label.
    target_color, reference_color : str
        Colours of the bars of each side.
    top : int, default 12
        Most terms shown on each side.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: a new figure, :func:`figure_width` wide, with the legend below.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    ordered = frame.sort_values(["log_ratio", "g2", "term"], ascending=[False, False, True],
                                kind="mergesort")  # fmt: skip
    over = ordered[ordered["log_ratio"] > 0].head(top)
    under = ordered[ordered["log_ratio"] < 0].iloc[::-1].head(top)
    shown = pd.concat([over, under.iloc[::-1]])
    ax, own = _new_axes(ax, (figure_width(), 0.9 + 0.17 * max(len(shown), 4)))
    y = np.arange(len(shown))
    colors = [target_color if v > 0 else reference_color for v in shown["log_ratio"]]
    ax.barh(y, shown["log_ratio"], color=colors, height=0.7)
    flagged = shown["doc_p_adjusted"] < 0.05 if "doc_p_adjusted" in shown else [False] * len(shown)
    ax.set_yticks(y, [f"{'* ' if f else ''}{r.term}  ({r.target_count}/{r.reference_count}; "
                      f"{r.target_documents}/{r.reference_documents} docs)"
                      for r, f in zip(shown.itertuples(), flagged, strict=True)])  # fmt: skip
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.6)
    scale = (f"Log Ratio (log2 of the ratio of relative frequencies; a zero count as 0.5): "
             f"+ over-used in {target_label}, − in {reference_label}")  # fmt: skip
    key = (f"labels: term (counts; documents holding it, {target_label} / {reference_label}); "
           "* the document-level test holds after Benjamini–Hochberg")  # fmt: skip
    label = [scale, key]
    # wrapped to the width of the axes (the longer the group names, the more lines)
    width = (_chars(2.2) if ax.figure.get_figwidth() <= SINGLE
             else max(_chars(3.3), int(ax.get_position().width * ax.figure.get_figwidth() * 13)))  # fmt: skip
    ax.set_xlabel("\n".join(line for part in label for line in _lines(part, width)))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in (target_color, reference_color)]
    _legend(ax, handles, [f"more in {target_label}", f"more in {reference_label}"], below=own)
    ax.grid(axis="x")
    return ax


# -- time, voice, dispersion, cleaning --------------------------------------------------------


def plot_timeline(
    rates: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    theme_labels: Mapping[str, str],
    themes: Sequence[str] | None = None,
    within: Sequence[str] | None = None,
    axes=None,
) -> np.ndarray:
    """Theme rates of each document against its date, one panel per theme, points coloured by dyad.

    Returns one axes per theme, in order (the function's own figure lays them out three
    to a row).

    Parameters
    ----------
    rates : pandas.DataFrame
        :func:`rhetoric.measures.rates.theme_rates` with ``by="document"`` (``group``:
        document id, ``theme``, ``per_1000``, ``ci_low``, ``ci_high``). With at most
        :data:`MAX_TIMELINE_INTERVALS` documents, each point has its interval and each
        dyad's points are joined; with more, points only.
    corpus : pandas.DataFrame
        The document table (:attr:`rhetoric.corpus.Corpus.documents`): ``id``, ``date``,
        ``dyad``.
    colors : mapping of str to str
        Dyad -> colour (:func:`dyad_colors`); its order gives the markers.
    labels : mapping of str to str
        Dyad -> legend label.
    theme_labels : mapping of str to str
        Theme id -> panel title.
    themes : sequence of str, optional
        Theme ids, one panel each, in this order (default: every theme of ``rates``).
    within : sequence of str, optional
        Document ids whose dates set the time axis (e.g. the compared groups'); documents
        dated outside their span are not drawn, and a note under the panels says how
        many and when. Default: every document's date.
    axes : array of matplotlib.axes.Axes, optional
        At least one axes per theme; default: a new figure, :func:`figure_width` wide, three
        panels to a row, with the legend below.

    Returns
    -------
    numpy.ndarray
        One axes per theme, in the order of ``themes``.
    """
    themes = list(themes or dict.fromkeys(rates["theme"]))
    info = corpus.set_index("id")
    data = rates[rates["theme"].isin(themes)].copy()
    data["year"] = pd.to_datetime(data["group"].map(info["date"])).map(
        lambda d: d.year + (d.day_of_year - 1) / 366
    )
    data["dyad"] = data["group"].map(info["dyad"])
    data, note = _within_span(data, within)
    ncols = 3 if figure_width() == DOUBLE else 2
    nrows = int(np.ceil(len(themes) / ncols))
    grid, own = _panels(axes, len(themes), nrows, ncols, figsize=(figure_width(), 0.6 + 1.7 * nrows),
                        sharex=True)  # fmt: skip
    years = data["year"]
    few = rates["group"].nunique() <= MAX_TIMELINE_INTERVALS  # as many documents as drawn, or more
    for ax, theme in zip(grid.flat, themes, strict=False):
        part = data[data["theme"] == theme]
        for dyad, rows in part.groupby("dyad", sort=False):
            rows = rows.sort_values("year")
            if few:
                ax.errorbar(rows["year"], rows["per_1000"],
                            yerr=[(rows["per_1000"] - rows["ci_low"]).clip(lower=0),
                                  (rows["ci_high"] - rows["per_1000"]).clip(lower=0)],
                            fmt=dyad_marker(dyad, colors) + "-", color=colors.get(dyad, "#555555"), elinewidth=0.8, capsize=1.5,
                            markersize=3.5, linewidth=0.8, label=labels.get(dyad, dyad))  # fmt: skip
            else:
                ax.scatter(rows["year"], rows["per_1000"], s=9, color=colors.get(dyad, "#555555"), alpha=0.75,
                           marker=dyad_marker(dyad, colors),
                           linewidths=0, label=labels.get(dyad, dyad))  # fmt: skip
        ax.set_title(_wrap(theme_labels.get(theme, theme), _chars(figure_width() / ncols)),
                     fontsize=8, loc="left")  # fmt: skip
        ax.set_ylim(bottom=0)
        ax.grid(axis="y")
    for ax in grid.flat[len(themes) :] if own else ():
        ax.set_visible(False)
    span = (years.min(), years.max()) if len(years) else (0, 1)
    ticks = _year_ticks(years)
    y_label = "hits per 1,000 tokens" + (" (95% interval)" if few else "")
    # an own figure shares one x axis (ticks on the bottom row); given axes each get them
    for ax in grid[-1] if own else grid.flat[: len(themes)]:
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.set_xlim(span[0] - 1, span[1] + 1)
    if own:
        figure_of(grid).supylabel(y_label, fontsize=8)
    else:
        for ax in grid[:, 0]:
            ax.set_ylabel(y_label, fontsize=7)
    handles = [  # joined points where they are joined, points alone where they are not
        plt.Line2D([], [], marker=dyad_marker(d, colors), color=colors.get(d, "#555555"),
                   linestyle="-" if few else "")
        for d in in_color_order(data["dyad"], colors)
    ]  # fmt: skip
    dyad_names = [labels.get(d, d) for d in in_color_order(data["dyad"], colors)]
    _legend(grid.flat[0], handles, dyad_names, below=own)
    if note and own:  # with the legend: below the panels
        figure_of(grid).legends[-1].set_title(note, prop={"size": 6})
    return grid.flat[: len(themes)]


def _within_span(data: pd.DataFrame, within: Sequence[str] | None) -> tuple[pd.DataFrame, str]:
    """The rows of ``data`` (``group``: document id, ``year``) dated within the span of the
    ``within`` documents, and a note of the documents left out (empty when none is)."""
    if within is None:
        return data, ""
    focus = data.loc[data["group"].isin(set(within)), "year"]
    if not len(focus):
        return data, ""
    away = (data["year"] < focus.min()) | (data["year"] > focus.max())
    outside = sorted({int(y) for y in data.loc[away].drop_duplicates("group")["year"]})
    if not outside:
        return data, ""
    count = data.loc[away, "group"].nunique()
    when = ", ".join(map(str, outside)) if len(outside) <= 4 else f"{outside[0]}–{outside[-1]}"
    note = (f"Not drawn: {count} document(s) dated outside the compared groups' "
            f"{int(focus.min())}–{int(focus.max())} ({when}).")  # fmt: skip
    return data[~away], note


def _year_ticks(years: pd.Series) -> list[int]:
    """At most five years a panel a third of :func:`figure_width` wide can label apart: every
    year of a short span, else every 2nd, 5th, 10th, … year."""
    if not len(years):
        return []
    first, last = int(np.floor(years.min())), int(np.floor(years.max()))
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        ticks = list(range(first - first % step, last + 1, step))
        ticks = [t for t in ticks if t >= first - 1]
        if len(ticks) <= 5:
            return ticks
    return [first, last]


def plot_voice_shares(
    rates_by_voice: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    theme_labels: Mapping[str, str],
    quoted_token_share: Mapping[str, float],
    axes=None,
) -> np.ndarray:
    """Share of each theme's hits that fall inside quotations, per group.

    ``rates_by_voice``: :func:`rhetoric.measures.rates.theme_rates` with ``voice=True``.
    The dotted line marks the group's share of quoted tokens overall: a theme
    to its right is quoted more than the group's text as a whole. Returns one axes per group.

    Parameters
    ----------
    rates_by_voice : pandas.DataFrame
        The rates by voice (``group``, ``theme``, ``voice``, ``count``); one panel per
        group in it, in its order. A theme's share is its quoted hits over its quoted and
        narrated hits (``count``: negated hits left out); each row is labelled with that
        number of hits (``n=``), or "no hits" (and no bar).
    colors : mapping of str to str
        Group -> colour of the quoted share (default grey).
    labels : mapping of str to str
        Group -> panel title.
    theme_labels : mapping of str to str
        Theme id -> row label.
    quoted_token_share : mapping of str to float
        Group -> share of its word tokens inside quotations (0 to 1): the dotted line.
    axes : array of matplotlib.axes.Axes, optional
        At least one axes per group; default: a new figure, the panels in one row.

    Returns
    -------
    numpy.ndarray
        One axes per group.
    """
    groups = in_color_order(rates_by_voice["group"], colors)
    themes = list(dict.fromkeys(rates_by_voice["theme"]))
    hits = rates_by_voice.pivot_table(
        index=["group", "theme"], columns="voice", values="count", aggfunc="sum"
    )
    grid, own = _panels(axes, len(groups), 1, len(groups),
                        figsize=(figure_width(), 0.9 + 0.3 * len(themes)), sharey=True)  # fmt: skip
    drawn = grid.ravel()[: len(groups)]
    for ax, group in zip(drawn, groups, strict=True):
        part = hits.loc[group].reindex(themes).fillna(0)
        total = part.sum(axis=1)
        share = (part.get("quoted", 0) / total.where(total > 0)).to_numpy(dtype=float)
        y = np.arange(len(themes))
        ax.barh(y, np.nan_to_num(share), color=colors.get(group, "#555555"), height=0.65)
        ax.barh(
            y,
            1 - np.nan_to_num(share, nan=1.0),
            left=np.nan_to_num(share),
            color="#dddddd",
            height=0.65,
        )
        for yy, n in zip(y, total, strict=True):
            ax.text(1.02, yy, "no hits" if n == 0 else f"n={int(n)}", va="center", fontsize=6, color="#555555",
                    transform=ax.get_yaxis_transform())  # fmt: skip
        ax.axvline(
            quoted_token_share.get(group, np.nan), color="black", linestyle=":", linewidth=0.9
        )
        ax.set_xlim(0, 1)
        ax.set_title(labels.get(group, group), loc="left", fontsize=8)
        ax.set_xlabel(_wrap("share of hits in quotations", 40 if figure_width() == DOUBLE else 14))
    # an own figure's panels share the y axis; given axes each get the theme names
    for ax in drawn[:1] if own else drawn:
        ax.set_yticks(np.arange(len(themes)), [_wrap(theme_labels.get(t, t), 22) for t in themes])
        ax.invert_yaxis()
    handles = [plt.Rectangle((0, 0), 1, 1, color="#777777"), plt.Rectangle((0, 0), 1, 1, color="#dddddd"),
               plt.Line2D([], [], color="black", linestyle=":")]  # fmt: skip
    _legend(drawn[-1], handles, ["quoted (statement's or speakers' words)", "narration (outlet's words)",
                                 "share of quoted tokens in the group's text"], below=own,
            ncol=1 if figure_width() == SINGLE else 3 if plt.rcParams["font.size"] <= 8 else 2)  # fmt: skip
    return drawn


def plot_dispersion(
    frame: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    theme_labels: Mapping[str, str],
    themes: Sequence[str],
    axes=None,
) -> np.ndarray:
    """X-ray plot: where each theme's hits fall in each document (0 = start, 1 = end).

    One panel per theme, one row per document (labelled by :func:`document_labels`,
    coloured by dyad) up to :data:`MAX_DISPERSION_ROWS` documents; with more, one row per
    dyad, each hit a faint tick in its document's dyad's row. Returns one axes per theme,
    in order (the function's own figure lays them out three to a row).

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`rhetoric.measures.rates.dispersion` output (``document``, ``theme``,
        ``relative_position``: token position / the document's word tokens). Panel
        titles give each theme's number of hits.
    corpus : pandas.DataFrame
        The document table (:attr:`rhetoric.corpus.Corpus.documents`): ``id``, ``dyad``,
        ``date`` and the columns of :func:`document_labels`.
    colors : mapping of str to str
        Dyad -> colour (:func:`dyad_colors`, e.g. ``Study.colors``); its order sorts the
        document rows by dyad and gives each dyad's mark.
    labels : mapping of str to str
        Dyad -> legend label.
    theme_labels : mapping of str to str
        Theme id -> panel title.
    themes : sequence of str
        Theme ids, one panel each, in this order.
    axes : array of matplotlib.axes.Axes, optional
        At least one axes per theme; default: a new figure, :func:`figure_width` wide, with the
        legend below.

    Returns
    -------
    numpy.ndarray
        One axes per theme, in the order of ``themes``.
    """
    documents = _document_order(corpus, colors)
    dyad_of = corpus.set_index("id")["dyad"]
    labelled = len(documents) <= MAX_DISPERSION_ROWS
    if labelled:  # one row per document
        order = documents
        row_of = {doc: doc for doc in documents}
        names = document_labels(corpus)
        row_labels = [names[d] for d in order]
        row_dyads = [dyad_of[d] for d in order]
    else:  # one row per dyad: each hit in its document's dyad's row
        order = list(dict.fromkeys(dyad_of[d] for d in documents))
        row_of = {doc: dyad_of[doc] for doc in documents}
        row_labels = [labels.get(d, d) for d in order]
        row_dyads = order
    width = figure_width(fits_one_column=not labelled)  # document labels need two columns
    ncols = 3 if width == DOUBLE else 2
    nrows = int(np.ceil(len(themes) / ncols))
    row_height = 0.11 * len(order)
    grid, own = _panels(axes, len(themes), nrows, ncols, sharex=True, sharey=True,
                        figsize=(width, min(0.9 + nrows * (0.55 + row_height), 9.5)))  # fmt: skip
    y_of = {row: i for i, row in enumerate(order)}
    for ax, theme in zip(grid.flat, themes, strict=False):
        part = frame[frame["theme"] == theme]
        for row in order:
            ax.axhline(y_of[row], color="#eeeeee", linewidth=0.6, zorder=0)
        ax.scatter(part["relative_position"], [y_of[row_of[d]] for d in part["document"]], marker="|", s=40,
                   linewidths=1.2 if labelled else 0.6, alpha=1 if labelled else 0.5,
                   c=[colors.get(dyad_of[d], "#555555") for d in part["document"]])  # fmt: skip
        ax.set_title(
            _wrap(f"{theme_labels.get(theme, theme)} ({len(part)})", _chars(width / ncols)),
            fontsize=7,
            loc="left",
        )
        ax.tick_params(axis="y", length=0)
    drawn = grid.flat[: len(themes)]
    # an own figure's panels share both axes (set once, inner labels hidden); given axes each
    for ax in drawn[:1] if own else drawn:
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.set_yticks(np.arange(len(order)), row_labels)
    if own:
        _outer_labels(grid, len(themes), ncols)
    for ax in grid[:, 0] if own else drawn:
        _color_row_labels(ax, row_dyads, colors)
    for ax in grid[-1] if own else drawn:
        ax.set_xlabel("position (0 = first token, 1 = last)" if ncols == 3
                      else "position\n(0 = first, 1 = last)", fontsize=7)  # fmt: skip
    _dyad_key(drawn[-1], row_dyads, colors, labels, below=own)
    return drawn


def _outer_labels(grid: np.ndarray, n: int, ncols: int) -> None:
    """Tick labels only on the outer panels of a grid of ``n`` panels; the unused hidden."""
    for ax in grid.flat:
        ax.label_outer()
    for ax in grid.flat[n:]:
        ax.set_visible(False)
    for ax in grid.flat[n - ncols : n]:  # the last panel of each column shows its x labels
        ax.xaxis.set_tick_params(labelbottom=True)


def plot_cleaning(
    table: pd.DataFrame,
    *,
    rule_labels: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    top: int = MAX_BAR_ROWS,
    ax: Axes | None = None,
) -> Axes:
    """Word tokens kept and removed (by rule) per document: what cleaning took out.

    ``table``: :func:`rhetoric.corpus.removal_summary` (``document``,
    ``kept`` and one column per rule). Rows are labelled by ``labels``
    (document id -> label, e.g. :func:`document_labels`), else by id. Up to ``top``
    documents, every one is a row, in the table's order; with more, the ``top`` with
    the largest share removed (then by label, ignoring case), and the title says how
    many documents are left out and how many had nothing removed.

    Parameters
    ----------
    table : pandas.DataFrame
        The word tokens kept and removed per document (see above). Each row is labelled
        with the share removed: removed / (kept + removed) word tokens.
    rule_labels : mapping of str to str, optional
        Rule -> legend label (default: the rule's name).
    labels : mapping of str to str, optional
        Document id -> row label.
    top : int, default :data:`MAX_BAR_ROWS`
        Most rows drawn.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: a new figure, :func:`figure_width` wide, with the legend below.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    rules = [c for c in table.columns if c not in ("document", "kept")]
    title = None
    shown = table.assign(document=table["document"].map(lambda d: (labels or {}).get(d, d)))
    if len(shown) > top:
        removed = shown[rules].sum(axis=1)
        total = shown["kept"] + removed
        ranked = shown.assign(_share=(removed / total.where(total > 0)).fillna(0),
                              _name=shown["document"].str.casefold())  # fmt: skip
        ranked = ranked.sort_values(["_share", "_name"], ascending=[False, True], kind="stable")
        nothing = int((removed == 0).sum())
        shown = ranked.head(top).drop(columns=["_share", "_name"])
        title = (f"The {top} documents with the largest share removed (of {len(table)}; "
                 f"{nothing} had nothing removed)")  # fmt: skip
    ax, own = _new_axes(ax, (figure_width(), 0.9 + 0.26 * len(shown) + 0.15 * len(rules)))
    y = np.arange(len(shown))
    left = shown["kept"].to_numpy(dtype=float)
    ax.barh(y, left, color="#0072B2", height=0.65, label="kept (analysed)")
    palette = ["#E69F00", "#D55E00", "#CC79A7", "#F0E442", "#56B4E9", "#999999", "#009E73"]
    for i, rule in enumerate(rules):
        values = shown[rule].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=palette[i % len(palette)], height=0.65,
                label=(rule_labels or {}).get(rule, rule))  # fmt: skip
        left = left + values
    for yy, kept, total in zip(y, shown["kept"], left, strict=True):
        share = 1 - kept / total if total else 0
        note = (
            f"  {share:.0%} removed" if share >= 0.01 or share == 0 else f"  {share:.1%} removed"
        )
        ax.text(total, yy, note if total else "", va="center", fontsize=6)
    ax.set_yticks(y, list(shown["document"]))
    ax.invert_yaxis()
    ax.set_xlabel("word tokens")
    ax.set_xlim(0, float(left.max()) * 1.18 if len(left) else 1)
    if title:
        _figure_title(ax, title, own=own)
    handles, legend_labels = ax.get_legend_handles_labels()
    _legend(ax, handles, legend_labels, below=own, ncol=3)
    return ax


def plot_reuse(
    matrix: pd.DataFrame,
    *,
    statement: str,
    corpus: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The sentences of one statement against the articles that reproduced some of it.

    ``matrix``: :func:`rhetoric.measures.reuse.reuse_matrix` (articles × sentences,
    the share of each sentence's words an article reproduced). Rows are the articles
    that reproduced any of it (an article that took nothing is left out, and the title
    counts it), labelled by outlet and date (:func:`document_labels`), latest last;
    columns the statement's sentences numbered from 0 as in ``rhetoric reuse --per
    sentence``; shares are written in the cells when there are at most 20 sentences and
    :data:`MAX_ANNOTATED_ROWS` articles. With more than :data:`MAX_HEATMAP_ROWS` such
    articles, the ones that reproduced most are drawn and the title says how many.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The shares, 0 to 1 (see above); "the ones that reproduced most" have the largest
        sums of shares over the sentences.
    statement : str
        The statement's id.
    corpus : pandas.DataFrame, optional
        The document table (:attr:`rhetoric.corpus.Corpus.documents`): the title names the
        statement by its title, date and outlet, and rows are labelled from it; without
        it, the ids are.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: a new figure, :func:`figure_width` wide.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a colour bar is added next to them).
    """
    names = document_labels(corpus) if corpus is not None else {}
    info = corpus.set_index("id") if corpus is not None else None
    took = matrix[matrix.sum(axis=1) > 0]
    if info is not None:
        dated = pd.Series({a: str(info.at[a, "date"]) for a in took.index}, dtype=object)
        took = took.loc[sorted(took.index, key=lambda a: (dated[a], names.get(a, a)))]
    named = names.get(statement, statement)
    if info is not None and statement in info.index and "title" in info:
        title = info.at[statement, "title"]
        named = f"“{title}” ({named})" if isinstance(title, str) and title.strip() else named
    title = (
        f"What the coverage took from {named}: {len(took)} of the {len(matrix)} articles "
        "of its dyad reproduced some of it"
    )
    table = took
    if len(took) > MAX_HEATMAP_ROWS:
        kept = took.sum(axis=1).sort_values(ascending=False, kind="stable").index
        table = took.loc[[a for a in took.index if a in set(kept[:MAX_HEATMAP_ROWS])]]
        title += f" (the {MAX_HEATMAP_ROWS} that reproduced most drawn)"
    rows = [names.get(a, a) for a in table.index]
    n = table.shape[1]
    scale = float(plt.rcParams["font.size"]) / 8  # a larger figure_style size needs room
    step = max(1, int(np.ceil(n / int(16 / scale))))  # at most 16 tick labels at 8 pt
    ax, own = _new_axes(ax, (figure_width(fits_one_column=False),
                             min(max(1.6 + 0.22 * len(table), 2.4 * scale), 9.5)))  # fmt: skip
    values = table.to_numpy(dtype=float).reshape(len(table), n)
    image = _heatmap(ax, values, rows, [str(c) for c in table.columns], vmin=0, vmax=1,
                     cmap="Greens", fmt=".0%",
                     annotate=n <= 20 and len(table) <= MAX_ANNOTATED_ROWS, rotate=False)  # fmt: skip
    image.set_interpolation("nearest")  # one sentence, one column of cells, at any width
    ax.set_xticks(np.arange(0, n, step), [str(c) for c in table.columns[::step]])
    ax.set_xlabel("sentence of the statement (numbered from 0)")
    ax.figure.colorbar(image, ax=ax, label="share of the sentence's\nwords reproduced", shrink=0.8)
    _figure_title(ax, title, own=own)
    return ax
