"""figures/handout.pdf: US Letter, a cover and one page per figure, reproducible bytes."""

import re

from repo import CLONE

from cramplab.course.figures import figure_files
from cramplab.course.handout import HANDOUT, render_handout

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
