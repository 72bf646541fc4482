"""`make handout`: figures/handout.pdf, US Letter, built with matplotlib alone.

A cover page (course title, health note, data sources), then every figure in notebook order,
one per page, with its title and caption read from the figure's own metadata. The bytes are
reproducible: no creation date or producer string, fonts that ship with matplotlib.
"""

from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.image as mpimg
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages

from cramplab import DISCLAIMER
from cramplab.paths import CloneRequired, find_clone
from cramplab.plotting import figure_metadata, write_atomically

LETTER = (8.5, 11.0)
HANDOUT = "handout.pdf"
TITLE = "cramplab: what the data say about nutrients and muscle cramps"
SOURCES = [
    "Food composition: USDA National Nutrient Database for Standard Reference, Release 28 "
    "(slightly revised, May 2016), public domain.",
    "Dietary Reference Intakes: National Academies (IOM 1997, 1998, 2011; NASEM 2019), as "
    "tabulated by the NIH Office of Dietary Supplements.",
    "Daily Values and claim thresholds: FDA, 21 CFR 101.9 and 101.54 (81 FR 33742, 2016).",
    "Evidence on cramps: the reviews and studies cited in the course data (data/README.md).",
    'The guide under study: "What Deficiency Causes Frequent Muscle Cramps? A Comprehensive '
    'Guide" (online article), paraphrased.',
]
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "Title": TITLE}


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _cover(pdf: PdfPages, figure_count: int) -> None:
    fig = plt.figure(figsize=LETTER)
    fig.text(0.1, 0.88, "cramplab", fontsize=30, weight="bold", family="DejaVu Sans")
    fig.text(0.1, 0.83, _wrapped(TITLE.split(": ", 1)[1].capitalize(), 50), fontsize=16, va="top")
    fig.text(
        0.1, 0.74,
        _wrapped(
            "Handout for the cramplab course: a popular online guide claims that frequent muscle "
            "cramps point to nutrient deficiencies. These figures check its claims against USDA "
            f"food data and the published evidence ({figure_count} figures, one per page).",
            80,
        ),
        fontsize=11, va="top", linespacing=1.5,
    )  # fmt: skip
    fig.text(
        0.1, 0.58, _wrapped(DISCLAIMER, 80), fontsize=11, va="top", weight="bold", linespacing=1.5
    )
    fig.text(0.1, 0.47, "Data sources", fontsize=13, weight="bold")
    y = 0.44
    for source in SOURCES:
        text = _wrapped(source, 88)
        fig.text(
            0.1, y, "• " + text.replace("\n", "\n   "), fontsize=9.5, va="top", linespacing=1.4
        )
        y -= 0.022 * (text.count("\n") + 1) + 0.015
    fig.text(
        0.1,
        0.06,
        "Regenerate with `make figures` (figures) and `make handout` (this file).",
        fontsize=8,
        color="0.4",
    )
    pdf.savefig(fig)
    plt.close(fig)


def _figure_page(pdf: PdfPages, png: Path, number: int) -> None:
    meta = figure_metadata(png)
    image = mpimg.imread(png)
    fig = plt.figure(figsize=LETTER)
    fig.text(
        0.08,
        0.94,
        f"Figure {number}. {meta['Title']}",
        fontsize=13,
        weight="bold",
        va="top",
        wrap=True,
    )
    height, width = image.shape[:2]
    box_w, box_h = 0.84, 0.62
    scale = min(box_w * LETTER[0] / width, box_h * LETTER[1] / height)
    w, h = width * scale / LETTER[0], height * scale / LETTER[1]
    ax = fig.add_axes((0.08 + (box_w - w) / 2, 0.86 - h, w, h))
    ax.imshow(image, interpolation="antialiased")
    ax.set_axis_off()
    caption = f"{meta['Description']}\n\nSource: {meta['Source']}. Notebook {meta['Notebook']}; file {png.name}."
    fig.text(
        0.08,
        0.84 - h - 0.02,
        "\n".join(_wrapped(p, 95) for p in caption.split("\n")),
        fontsize=10,
        va="top",
        linespacing=1.4,
    )
    fig.text(0.08, 0.04, DISCLAIMER, fontsize=7, color="0.4")
    pdf.savefig(fig)
    plt.close(fig)


def render_handout(figures_dir: Path | None = None) -> tuple[bytes, int]:
    """The handout's bytes and its page count (default: from the clone's figures/)."""
    figures_dir = find_clone().figures if figures_dir is None else figures_dir
    pngs = sorted(figures_dir.glob("[0-9][0-9]_*.png"))
    buffer = io.BytesIO()
    with mpl.rc_context():
        # Start from matplotlib's defaults, whatever style the calling process set, so the
        # bytes do not depend on who builds the handout (make figures, make handout, a test).
        mpl.rcdefaults()
        mpl.rcParams.update({"font.family": "DejaVu Sans"})
        with PdfPages(buffer, metadata=PDF_METADATA) as pdf:
            _cover(pdf, len(pngs))
            for number, png in enumerate(pngs, start=1):
                _figure_page(pdf, png, number)
    return buffer.getvalue(), 1 + len(pngs)


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
