"""One figure style for the course, and the one helper that saves figures.

save_figure() writes a figure as a 300 dpi PNG (print) and an SVG (slides) under a stable name,
with its title, caption, alt text, notebook and data source stored in the files' metadata
(figures/README.md is generated from it). The texts come from the figure's record in
cramplab.figure_texts; heading() and add_credit() draw its title and source line, so a
notebook's figure cell holds only the analysis and the plot. The title a notebook draws above its figure stays in
the notebook: the saved files leave it out, because the handout and the catalogue print it as
text above the picture (once, wrapped to the page; a slide puts it in its own title). Bytes are reproducible: no dates or version
strings, a fixed SVG hash salt, text as paths in the fonts matplotlib ships, and each file
written to a temporary name and renamed so that an interrupted run leaves no half-written file.

CRAMPLAB_FIGURES_MODE chooses what save_figure does:
  off   (default) nothing: a student running a notebook never changes the course's files;
  write writes into $CRAMPLAB_FIGURES_DIR (`make figures` points it at a staging folder);
  check renders in memory and fails if the file in $CRAMPLAB_FIGURES_DIR differs (the tests).
"""

from __future__ import annotations

import io
import os
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import seaborn as sns

from cramplab.analysis import EXCELLENT_SOURCE_PCT, GOOD_SOURCE_PCT

SR28_SOURCE = "Data: USDA SR28 (2016), curated in cramplab data/; FDA Daily Values (21 CFR 101.9)"
DPI = 300
NAME = re.compile(r"[0-9]{2}_[a-z0-9_]+")
# The evidence grades of nutrient_symptoms and cramp_factors, strongest finding first. "No
# evidence found" is grey, apart from "contradicted" (evidence against), never merged with it.
EVIDENCE_GRADES = [
    "established",
    "limited",
    "mixed",
    "very_uncertain",
    "indirect_against",
    "inconclusive",
    "contradicted",
    "no_evidence_found",
]
EVIDENCE_LABELS = {
    "established": "Established",
    "limited": "Limited",
    "mixed": "Mixed (studies disagree)",
    "very_uncertain": "Very uncertain",
    "indirect_against": "Not shown; indirect evidence against",
    "inconclusive": "Inconclusive",
    "contradicted": "Contradicted (studies against)",
    "no_evidence_found": "No evidence found",
}
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies; greys for the
# grades and verdicts that show no finding either way.
EVIDENCE_COLORS = {
    "established": "#0072B2",
    "limited": "#56B4E9",
    "mixed": "#E69F00",
    "very_uncertain": "#7F7F7F",
    "indirect_against": "#CC79A7",
    "inconclusive": "#D9D9D9",
    "contradicted": "#D55E00",
    "no_evidence_found": "#BBBBBB",
}
# The verdicts of cramplab.claims.VERDICTS, in the same family of colours.
VERDICT_COLORS = {
    "supported": "#009E73",
    "partly_supported": "#56B4E9",
    "mixed": "#E69F00",
    "contradicted": "#D55E00",
    "indirect_against": "#CC79A7",
    "indirect_for": "#F0E442",
    "very_uncertain": "#7F7F7F",
    "inconclusive": "#D9D9D9",
    "depends": "#0072B2",
    "no_evidence_found": "#BBBBBB",
    "not_assessed": "#E5E5E5",
    "no_data": "#F5F5F5",
}
CLAIM_COLORS = {"excellent source": "#009E73", "good source": "#56B4E9", "neither": "#BBBBBB"}

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "figure.figsize": (7.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.15,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "svg.fonttype": "path",
    "svg.hashsalt": "cramplab",
}


REGENERATE = "run `make figures` and commit figures/"


class FigureOutOfDate(AssertionError):
    """A committed figure differs from what the notebook draws now."""


def use_course_style() -> None:
    """Seaborn's colour-blind palette with print-size fonts, and reproducible output settings.

    >>> with mpl.rc_context():  # the example puts the settings back afterwards
    ...     use_course_style()
    ...     print(mpl.rcParams["font.family"], mpl.rcParams["svg.hashsalt"])
    ['DejaVu Sans'] cramplab
    """
    sns.set_theme(context="paper", style="whitegrid", palette="colorblind", font_scale=1.25)
    mpl.rcParams.update(STYLE)


def add_source(fig: plt.Figure, source: str = SR28_SOURCE) -> None:
    """The source line under a figure, small and grey, so a printed copy keeps its citation.

    Call it last: it goes below everything already drawn (tick labels, legends included).

    >>> mpl.use("Agg")  # draw off screen
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> add_source(fig, "Data: USDA SR28 (2016)")
    >>> [text.get_text() for text in fig.texts]
    ['Data: USDA SR28 (2016)']
    >>> plt.close(fig)
    """
    width, height = fig.get_size_inches()
    box = fig.get_tightbbox(fig.canvas.get_renderer())  # in inches
    fig.text(
        box.x0 / width, (box.y0 - 0.08) / height, source,
        ha="left", va="top", fontsize=8, color="0.35",
    )  # fmt: skip


def render(fig: plt.Figure, metadata: dict[str, str]) -> dict[str, bytes]:
    """The figure's PNG and SVG bytes with reproducible metadata.

    >>> mpl.use("Agg")  # draw off screen
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> meta = {"Title": "Potassium", "Description": "Two foods.", "Source": SR28_SOURCE}
    >>> files = render(fig, meta)
    >>> sorted(files), files["png"][1:4], files == render(fig, meta)  # the same bytes again
    (['png', 'svg'], b'PNG', True)
    >>> plt.close(fig)
    """
    png_meta = {"Software": None, **metadata}
    svg_meta = {
        "Date": None,
        "Creator": None,
        "Title": metadata["Title"],
        "Description": metadata["Description"],
        "Source": metadata["Source"],
    }
    files = {}
    with mpl.rc_context({k: STYLE[k] for k in ("svg.fonttype", "svg.hashsalt")}):
        for suffix, meta in (("png", png_meta), ("svg", svg_meta)):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=suffix, dpi=DPI, metadata=meta)
            files[suffix] = buffer.getvalue()
    return files


def title_texts(fig: plt.Figure, title: str) -> list[mpl.text.Text]:
    """The visible texts of the figure that read as its title (however the lines are broken).

    >>> mpl.use("Agg")  # draw off screen
    >>> fig = plt.figure(figsize=(3, 2))
    >>> _ = fig.suptitle("The banana ranks #15\\nof 147 foods")
    >>> [text.get_text() for text in title_texts(fig, "The banana ranks #15 of 147 foods")]
    ['The banana ranks #15\\nof 147 foods']
    >>> plt.close(fig)
    """
    wanted = " ".join(title.split())
    return [
        text
        for text in fig.findobj(mpl.text.Text)
        if text.get_visible() and " ".join(text.get_text().split()) == wanted
    ]


@contextmanager
def title_hidden(fig: plt.Figure, title: str) -> Iterator[None]:
    """Hide the figure's drawn title for a while (the saved files carry it as metadata).

    >>> mpl.use("Agg")  # draw off screen
    >>> fig = plt.figure(figsize=(3, 2))
    >>> title = fig.suptitle("Potassium per reference amount")
    >>> with title_hidden(fig, "Potassium per reference amount"):
    ...     print(title.get_visible())
    False
    >>> title.get_visible()
    True
    >>> plt.close(fig)
    """
    hidden = title_texts(fig, title)
    for text in hidden:
        text.set_visible(False)
    try:
        yield
    finally:
        for text in hidden:
            text.set_visible(True)


def smallest_font_size(fig: plt.Figure) -> float:
    """The smallest font size, in points at the figure's own size, of any visible text.

    >>> mpl.use("Agg")  # draw off screen
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> _ = ax.set_title("Potassium", fontsize=12), ax.set_xlabel("% DV", fontsize=9)
    >>> smallest_font_size(fig)
    9.0
    >>> plt.close(fig)
    """
    sizes = [
        text.get_fontsize()
        for text in fig.findobj(mpl.text.Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return min(sizes, default=0.0)


def save_figure(
    fig: plt.Figure,
    name: str,
    *,
    title: str | None = None,
    caption: str | None = None,
    alt: str | None = None,
    source: str | None = None,
) -> list[Path]:
    """Save a handout figure as figures/<name>.png and .svg (name: NN_short_name).

    Its title (the finding), caption (one sentence), alt text (the picture, for screen readers)
    and source come from its record in cramplab.figure_texts, computed from the data;
    a figure without a record (a teacher's own) passes title, caption and alt (and source). The NN
    prefix is the notebook that draws the figure. A text drawn on the figure that reads as the
    title (a suptitle, an axes title or fig.text, line breaks aside) is left out of the files:
    whoever prints the figure prints the title once, as text.

    By default (CRAMPLAB_FIGURES_MODE off) nothing is written; in write mode the files go to
    $CRAMPLAB_FIGURES_DIR, here a temporary folder:

    >>> import tempfile
    >>> from unittest import mock
    >>> mpl.use("Agg")  # draw off screen
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> with tempfile.TemporaryDirectory() as folder, mock.patch.dict(
    ...     os.environ, {"CRAMPLAB_FIGURES_MODE": "write", "CRAMPLAB_FIGURES_DIR": folder}
    ... ):
    ...     print([path.name for path in save_figure(fig, "05_effect_intervals")])
    ['05_effect_intervals.png', '05_effect_intervals.svg']
    >>> plt.close(fig)
    """
    if not NAME.fullmatch(name):
        raise ValueError(f"figure name {name!r} must look like NN_short_name (NN = notebook)")
    given = {"title": title, "caption": caption, "alt": alt}
    if any(value is not None for value in given.values()):
        missing = [key for key, value in given.items() if value is None]
        if missing:
            raise ValueError(f"save_figure({name!r}): give {missing} too, or none of them")
        source = SR28_SOURCE if source is None else source
    else:
        texts = figure_text(name)
        title, caption, alt = texts.title_text, texts.caption, texts.alt
        source = texts.source if source is None else source
    mode = os.environ.get("CRAMPLAB_FIGURES_MODE", "off")
    if mode == "off":
        return []
    if mode not in ("write", "check"):
        raise ValueError(f"CRAMPLAB_FIGURES_MODE must be write, check or off, not {mode!r}")
    if not os.environ.get("CRAMPLAB_FIGURES_DIR"):
        raise ValueError(f"CRAMPLAB_FIGURES_MODE={mode} needs CRAMPLAB_FIGURES_DIR, the folder")
    directory = Path(os.environ["CRAMPLAB_FIGURES_DIR"])
    metadata = {
        "Title": title,
        "Description": caption,
        "Alt": alt,
        "Notebook": name[:2],
        "Source": source,
    }
    with title_hidden(fig, title):
        # The handout scales each figure to its page; with this it can tell (and a test can
        # check) how small the smallest text prints.
        metadata["SmallestFontPt"] = f"{smallest_font_size(fig):g}"
        files = render(fig, metadata)
    paths = [directory / f"{name}.{suffix}" for suffix in files]
    for path, payload in zip(paths, files.values(), strict=True):
        if mode == "check":
            if not path.exists():
                raise FigureOutOfDate(f"{path.name} is missing: {REGENERATE}")
            if path.read_bytes() != payload:
                message = f"{path.name} differs from what the notebook draws: {REGENERATE}"
                raise FigureOutOfDate(message)
        else:
            write_atomically(path, payload)
    return paths


def figure_text(name: str):
    """The figure's record in cramplab.figure_texts (title, caption, alt text, source).

    >>> figure_text("05_effect_intervals").source
    'Studies cited in cramplab data/claim_studies.csv'
    """
    from cramplab import figure_texts  # imported here: it imports this module

    return figure_texts.record(name)


def heading(fig: plt.Figure, name: str, *, top: float | None = None) -> None:
    """Draw the figure's title (its record's finding) at the top left, in the course's style.

    A title wrapped by its record is drawn as figure text from `top` down (a figure that sets
    its own margins), otherwise as a suptitle (a figure laid out by tight_layout).

    >>> mpl.use("Agg")  # draw off screen
    >>> fig = plt.figure(figsize=(3, 2))
    >>> heading(fig, "05_effect_intervals")  # its record wraps the title at 66 characters
    >>> print(fig.texts[0].get_text())
    5 of 7 ratios exclude 'no effect'; the magnesium trials' risk
    ratio of 1.04 does not
    >>> plt.close(fig)
    """
    texts = figure_text(name)
    if texts.wrap:
        y = 0.98 if top is None else top
        fig.text(0.01, y, texts.drawn_title, fontsize=11, weight="bold", va="top")
    else:
        fig.suptitle(texts.drawn_title, x=0.01, ha="left", fontweight="bold", fontsize=12)


def add_credit(fig: plt.Figure, name: str) -> None:
    """The figure's source line (from its record) under everything drawn: call it last.

    >>> mpl.use("Agg")  # draw off screen
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> add_credit(fig, "05_effect_intervals")
    >>> fig.texts[-1].get_text()
    'Sources: the studies cited in claim_studies (full citations in its source column)'
    >>> plt.close(fig)
    """
    add_source(fig, figure_text(name).credit)


def claim_thresholds(ax: plt.Axes) -> None:
    """Dashed lines at the FDA's good-source (10% DV) and excellent-source (20% DV) levels.

    >>> mpl.use("Agg")  # draw off screen
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> claim_thresholds(ax)
    >>> [float(line.get_xdata()[0]) for line in ax.lines]
    [10.0, 20.0]
    >>> plt.close(fig)
    """
    for threshold in (GOOD_SOURCE_PCT, EXCELLENT_SOURCE_PCT):
        ax.axvline(threshold, color="0.3", linestyle="--", linewidth=1)


def wrapped(text: str, width: int = 48) -> str:
    """A long label on two (or more) lines, never cut.

    >>> print(wrapped("Spinach, frozen, chopped or leaf, cooked, boiled, drained", 30))
    Spinach, frozen, chopped or
    leaf, cooked, boiled, drained
    """
    return textwrap.fill(text, width)


def legend_patches(colors) -> list[plt.Rectangle]:
    """Plain colour squares for a legend, one per colour.

    >>> patches = legend_patches([EVIDENCE_COLORS["established"], EVIDENCE_COLORS["limited"]])
    >>> [mpl.colors.to_hex(patch.get_facecolor()) for patch in patches]
    ['#0072b2', '#56b4e9']
    """
    return [plt.Rectangle((0, 0), 1, 1, color=color) for color in colors]


def outlined() -> plt.Rectangle:
    """A white square with a black edge: the legend entry for outlined bars.

    >>> square = outlined()
    >>> mpl.colors.to_hex(square.get_facecolor()), mpl.colors.to_hex(square.get_edgecolor())
    ('#ffffff', '#000000')
    """
    return plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="black")


def style_evidence_matrix(fig: plt.Figure, ax: plt.Axes, matrix) -> None:
    """Notebook 02's heatmap made readable: letters in a colour that shows on their cell,
    nutrients along the top, no grid, and the grades' legend under the chart.

    A one-row matrix of grade numbers (0: established, 7: no evidence found), as notebook 02
    draws it:

    >>> import pandas as pd
    >>> mpl.use("Agg")  # draw off screen
    >>> matrix = pd.DataFrame({"magnesium": [0], "vitamin_e": [7]}, index=["muscle cramp"])
    >>> fig, ax = plt.subplots(figsize=(4, 3))
    >>> _ = sns.heatmap(matrix, annot=[["G", "G"]], fmt="", cbar=False, ax=ax)
    >>> style_evidence_matrix(fig, ax, matrix)
    >>> [text.get_color() for text in ax.texts], len(fig.legends[0].texts)
    (['white', 'black'], 8)
    >>> plt.close(fig)
    """
    dark = {"established", "contradicted"}  # white letters on the dark colours, black on light
    for text in ax.texts:  # each sits at the centre of its cell: (column + 0.5, row + 0.5)
        column, row = (int(position) for position in text.get_position())
        grade = EVIDENCE_GRADES[int(matrix.iat[row, column])]
        text.set_color("white" if grade in dark else "black")
    ax.set(xlabel="", ylabel="")
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelrotation=45, labelsize=9, length=0)
    ax.tick_params(axis="y", labelsize=9, length=0)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("left")
    ax.grid(False)
    fig.legend(
        handles=legend_patches(EVIDENCE_COLORS[grade] for grade in EVIDENCE_GRADES),
        labels=[EVIDENCE_LABELS[grade] for grade in EVIDENCE_GRADES],
        title="Evidence grade (G = the guide makes this link)",
        title_fontsize=9,
        fontsize=9,
        ncol=3,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.0),
        frameon=False,
    )


def write_atomically(path: Path, payload: bytes) -> None:
    """Write to a hidden temporary name in the same directory, then rename over the target.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "figures" / "note.txt"
    ...     write_atomically(path, b"cramp")
    ...     print(path.read_bytes(), [p.name for p in path.parent.iterdir()])  # no leftover
    b'cramp' ['note.txt']
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        temporary.write_bytes(payload)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def figure_metadata(path: Path) -> dict[str, str]:
    """The metadata save_figure stored in a PNG (title, caption, alt text, notebook, source).

    >>> import tempfile
    >>> mpl.use("Agg")  # draw off screen
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> meta = {"Title": "Potassium", "Description": "Two foods.", "Notebook": "03",
    ...         "Source": SR28_SOURCE}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "03_demo.png"
    ...     write_atomically(path, render(fig, meta)["png"])
    ...     print(figure_metadata(path)["Title"], figure_metadata(path)["Notebook"])
    Potassium 03
    >>> plt.close(fig)
    """
    from PIL import Image

    with Image.open(path) as image:
        return dict(image.text)
