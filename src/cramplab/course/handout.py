"""`make handout`: figures/handout.pdf, US Letter, built with matplotlib alone.

A cover page (course title, health note, data sources), then every figure in notebook order,
one per page, with its title and caption read from the figure's own metadata. The bytes are
reproducible: no creation date or producer string, fonts that ship with matplotlib.
"""

from __future__ import annotations

import io
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import matplotlib.image as mpimg
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from PIL import Image

from cramplab import DISCLAIMER
from cramplab.paths import CloneRequired, find_clone
from cramplab.plotting import DPI, figure_metadata, write_atomically

LETTER = (8.5, 11.0)
MARGIN_IN = 0.6
USABLE_WIDTH_IN = LETTER[0] - 2 * MARGIN_IN  # every figure is printed this wide
TITLE_PT, CAPTION_PT, FOOTER_PT = 13, 10, 7.5
TITLE_CHARS, CAPTION_CHARS = 78, 100  # characters per line at those sizes across the page
GAP_IN, FOOTER_IN = 0.15, 0.3
SMALLEST_PRINTED_PT = 7.0  # no text on paper smaller than this
HANDOUT = "handout.pdf"
TITLE = "cramplab: what the data say about nutrients and muscle cramps"
SOURCES = [
    "Food composition: USDA National Nutrient Database for Standard Reference, Release 28 "
    "(slightly revised, May 2016), public domain.",
    "Dietary Reference Intakes: National Academies (IOM 1997, 1998, 2011; NASEM 2019), as "
    "tabulated by the NIH Office of Dietary Supplements.",
    "Daily Values and claim thresholds: FDA, 21 CFR 101.9 and 101.54 (81 FR 33742, 2016).",
    "Reference amounts: FDA, 21 CFR 101.12(b) (81 FR 34000, 2016); USDA, 9 CFR 317.312 and "
    "381.412. Calcium absorption: Heaney, Weaver & Recker, Am J Clin Nutr 1988;47:707; Weaver, "
    "Proulx & Heaney, Am J Clin Nutr 1999;70(3 Suppl):543S.",
    "Evidence on cramps: the reviews and studies cited in each row of the course data "
    "(data/guide_claims.csv, data/claim_studies.csv), among them Garrison et al., Cochrane "
    "Database Syst Rev 2020, CD009402.pub3.",
    'The guide under study: "What Deficiency Causes Frequent Muscle Cramps? A Comprehensive '
    'Guide" (online article), paraphrased.',
]
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "Title": TITLE}


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


READING_NOTES = [
    'Food words follow the FDA\'s rule: a "good source" gives at least 10% of the Daily '
    'Value, an "excellent source" at least 20%, per reference amount customarily consumed '
    "(21 CFR 101.54 and 101.12), not per household serving. Calcium is also shown as absorbed, "
    "where a measured absorption fraction exists.",
    'Evidence verdicts keep apart what the studies say and what is missing: "contradicted" '
    'means direct studies of the claim found against it; "very uncertain" that GRADE rates '
    'the evidence very low; "no evidence found" means we searched and found no study either '
    'way; "not assessed" marks advice no study grades. How sure we can be (certainty) '
    "is given separately from the verdict.",
    "Tolerable Upper Intake Level (UL), as the Institute of Medicine defines it: the highest "
    "average daily intake likely to pose no risk of adverse health effects to almost all "
    "individuals in the general population. It is not a target, and above it risk rises.",
]


def cover_page(figure_count: int) -> plt.Figure:
    fig = plt.figure(figsize=LETTER)
    left = MARGIN_IN / LETTER[0]
    y = LETTER[1] - MARGIN_IN - 0.3  # inches from the bottom, moving down the page

    def write(text: str, points: float, gap: float = 0.12, **style) -> None:
        nonlocal y
        fig.text(left, y / LETTER[1], text, fontsize=points, va="top", linespacing=1.35, **style)
        y -= _lines_height(text, points) + gap

    write("cramplab", 30, weight="bold")
    write(_wrapped(TITLE.split(": ", 1)[1].capitalize(), 60), 16, gap=0.25)
    write(
        _wrapped(
            "Handout for the cramplab course: a popular online guide claims that frequent muscle "
            "cramps point to nutrient deficiencies. These figures check its claims against USDA "
            f"food data and the published evidence ({figure_count} figures, one per page).",
            88,
        ),
        11,
        gap=0.2,
    )
    write(_wrapped(DISCLAIMER, 88), 11, gap=0.3, weight="bold")
    write("How to read the figures", 13, weight="bold")
    for note in READING_NOTES:
        write("• " + _wrapped(note, 100).replace("\n", "\n   "), 9.5, gap=0.08)
    y -= 0.2
    write("Data sources", 13, weight="bold")
    for source in SOURCES:
        write("• " + _wrapped(source, 100).replace("\n", "\n   "), 9.5, gap=0.08)
    fig.text(
        left, (MARGIN_IN * 0.6) / LETTER[1],
        "Regenerate with `make figures` (figures) and `make handout` (this file).",
        fontsize=8, color="0.4",
    )  # fmt: skip
    return fig


@dataclass(frozen=True)
class Placement:
    """Where a figure goes on its page, and how small its smallest text prints there."""

    title: str  # wrapped
    caption: str  # wrapped
    scale: float  # printed size / the figure's own size
    width_in: float
    height_in: float
    smallest_printed_pt: float
    fills_width: bool  # False when the figure is too tall to fill the width and still fit


def _lines_height(text: str, points: float, spacing: float = 1.35) -> float:
    return (text.count("\n") + 1) * points * spacing / 72


def placement(png: Path, number: int) -> Placement:
    """The page layout of one figure: scaled to the full usable width unless too tall."""
    meta = figure_metadata(png)
    title = _wrapped(f"Figure {number}. {meta['Title']}", TITLE_CHARS)
    caption_text = (
        f"{meta['Description']}\n\nSource: {meta['Source']}. "
        f"Notebook {meta['Notebook']}; file {png.name}."
    )
    caption = "\n".join(_wrapped(part, CAPTION_CHARS) for part in caption_text.split("\n"))
    with Image.open(png) as image:
        width_px, height_px = image.size
    width_in, height_in = width_px / DPI, height_px / DPI
    room = (
        LETTER[1] - 2 * MARGIN_IN - FOOTER_IN - GAP_IN * 2
        - _lines_height(title, TITLE_PT) - _lines_height(caption, CAPTION_PT)
    )  # fmt: skip
    scale = USABLE_WIDTH_IN / width_in
    fills = height_in * scale <= room
    if not fills:
        scale = room / height_in
    smallest = float(meta.get("SmallestFontPt", 0)) * scale
    return Placement(title, caption, scale, width_in * scale, height_in * scale, smallest, fills)


def figure_page(png: Path, number: int) -> plt.Figure:
    layout = placement(png, number)
    fig = plt.figure(figsize=LETTER)
    top = LETTER[1] - MARGIN_IN
    fig.text(MARGIN_IN / LETTER[0], top / LETTER[1], layout.title, fontsize=TITLE_PT,
             weight="bold", va="top", linespacing=1.35)  # fmt: skip
    image_top = top - _lines_height(layout.title, TITLE_PT) - GAP_IN
    ax = fig.add_axes(
        (
            MARGIN_IN / LETTER[0],
            (image_top - layout.height_in) / LETTER[1],
            layout.width_in / LETTER[0],
            layout.height_in / LETTER[1],
        )
    )
    ax.imshow(mpimg.imread(png), interpolation="none")  # embedded at full resolution
    ax.set_axis_off()
    caption_top = image_top - layout.height_in - GAP_IN
    fig.text(MARGIN_IN / LETTER[0], caption_top / LETTER[1], layout.caption,
             fontsize=CAPTION_PT, va="top", linespacing=1.35)  # fmt: skip
    fig.text(MARGIN_IN / LETTER[0], (MARGIN_IN * 0.6) / LETTER[1], DISCLAIMER,
             fontsize=FOOTER_PT, color="0.35")  # fmt: skip
    return fig


def handout_figures(figures_dir: Path | None = None) -> list[Path]:
    figures_dir = find_clone().figures if figures_dir is None else figures_dir
    return sorted(figures_dir.glob("[0-9][0-9]_*.png"))


def handout_pages(figures_dir: Path | None = None) -> Iterator[plt.Figure]:
    """The pages, one matplotlib figure each: the cover, then one page per figure."""
    pngs = handout_figures(figures_dir)
    yield cover_page(len(pngs))
    for number, png in enumerate(pngs, start=1):
        yield figure_page(png, number)


def render_handout(figures_dir: Path | None = None) -> tuple[bytes, int]:
    """The handout's bytes and its page count (default: from the clone's figures/)."""
    buffer = io.BytesIO()
    pages = 0
    with mpl.rc_context():
        # Start from matplotlib's defaults, whatever style the calling process set, so the
        # bytes do not depend on who builds the handout (make figures, make handout, a test).
        mpl.rcdefaults()
        mpl.rcParams.update({"font.family": "DejaVu Sans"})
        with PdfPages(buffer, metadata=PDF_METADATA) as pdf:
            for page in handout_pages(figures_dir):
                pdf.savefig(page)
                plt.close(page)
                pages += 1
    return buffer.getvalue(), pages


def build_handout(figures_dir: Path | None = None) -> int:
    """Write figures/handout.pdf; return its number of pages."""
    figures_dir = (
        find_clone(command="make handout").figures if figures_dir is None else figures_dir
    )
    payload, pages = render_handout(figures_dir)
    write_atomically(figures_dir / HANDOUT, payload)
    return pages


def main() -> int:
    try:
        pages = build_handout()
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"make handout: figures/{HANDOUT}, US Letter, {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
