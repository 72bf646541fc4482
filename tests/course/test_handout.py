"""figures/handout.pdf: US Letter, a cover and one page per figure, reproducible bytes."""

import re

import matplotlib.pyplot as plt
import pytest
from repo import CLONE

from cramplab.course.figures import figure_files
from cramplab.course.handout import (
    HANDOUT,
    SMALLEST_PRINTED_PT,
    USABLE_WIDTH_IN,
    handout_pages,
    placement,
    render_handout,
)
from cramplab.plotting import smallest_font_size

FIGURES_DIR = CLONE.figures


def test_handout_is_current_and_reproducible():
    # The committed file was built by another process (make figures): equal bytes show both
    # that it is current and that the build is reproducible.
    payload, pages = render_handout(FIGURES_DIR)
    assert (FIGURES_DIR / HANDOUT).read_bytes() == payload, "run `make figures` or `make handout`"
    assert pages == 1 + len(figure_files(FIGURES_DIR))


def test_handout_pages_are_us_letter_and_undated():
    pdf = (FIGURES_DIR / HANDOUT).read_bytes()
    pages = re.findall(rb"/Type /Page\b", pdf)
    assert len(pages) == 1 + len(figure_files(FIGURES_DIR))
    boxes = {box.strip() for box in re.findall(rb"/MediaBox \[([\d. ]+)\]", pdf)}
    assert boxes == {b"0 0 612 792"}, boxes  # 8.5 x 11 in at 72 pt per inch
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf


@pytest.mark.parametrize(
    "number_and_png",
    list(enumerate(figure_files(FIGURES_DIR), start=1)),
    ids=lambda pair: pair[1].stem,
)
def test_each_figure_fills_the_page_width_and_prints_no_text_under_7_pt(number_and_png):
    layout = placement(*reversed(number_and_png))
    assert layout.fills_width, f"too tall to print {USABLE_WIDTH_IN:g} in wide on one page"
    assert layout.width_in == pytest.approx(USABLE_WIDTH_IN)
    assert layout.smallest_printed_pt >= SMALLEST_PRINTED_PT, (
        f"its smallest text prints at {layout.smallest_printed_pt:.1f} pt "
        f"(drawn at {layout.smallest_printed_pt / layout.scale:g} pt, scaled by "
        f"{layout.scale:.2f} to the page width): draw it narrower or with larger text"
    )


def test_the_pages_own_text_prints_at_7_pt_or_more():
    for number, page in enumerate(handout_pages(FIGURES_DIR), start=1):
        assert smallest_font_size(page) >= SMALLEST_PRINTED_PT, f"page {number}"
        plt.close(page)
