"""figures/handout.pdf: US Letter, a cover and one page per figure, reproducible bytes; as it
prints: every word inside the margins, the health note whole, the figures as large as the page
allows, each page's terms explained on it."""

import re

import matplotlib.pyplot as plt
import pdfplumber
import pytest
from repo import CLONE

from cramplab import DISCLAIMER
from cramplab.plotting import figure_metadata, smallest_font_size
from cramplab_tools.figures import figure_files
from cramplab_tools.handout import (
    GLOSSARY,
    HANDOUT,
    MARGIN_IN,
    SMALLEST_PRINTED_PT,
    handout_pages,
    placement,
    render_handout,
    terms_used,
    text_width_in,
    wrap,
)

FIGURES_DIR = CLONE.figures
MARGIN_PT = MARGIN_IN * 72
TERMS_HEADING = "Terms on this page"


def words_outside_the_margins(pdf_path, margin_pt=MARGIN_PT):
    """Each word printed outside the page's margins: (page number, word, its box in points)."""
    outside = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for word in page.extract_words():
                box = (word["x0"], word["top"], word["x1"], word["bottom"])
                inside = (
                    box[0] >= margin_pt - 0.5
                    and box[1] >= margin_pt - 0.5
                    and box[2] <= page.width - margin_pt + 0.5
                    and box[3] <= page.height - margin_pt + 0.5
                )
                if not inside:
                    outside.append((number, word["text"], tuple(round(v) for v in box)))
    return outside


def page_texts(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


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
    # 8.5 x 11 in at 72 pt per inch; a wide figure's page turned (landscape)
    assert boxes <= {b"0 0 612 792", b"0 0 792 612"}, boxes
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf


@pytest.mark.parametrize(
    "number_and_png",
    list(enumerate(figure_files(FIGURES_DIR), start=1)),
    ids=lambda pair: pair[1].stem,
)
def test_each_figure_fills_its_page_and_prints_no_text_under_7_pt(number_and_png):
    layout = placement(*reversed(number_and_png))
    assert layout.fills_room, "the picture reaches neither the width nor the height it could"
    page_height = layout.page_in[1]
    blank = layout.room_in[1] - layout.height_in  # under the text, above the footer
    assert blank <= page_height / 4, f"{blank:.1f} in of the page left blank"
    assert layout.smallest_printed_pt >= SMALLEST_PRINTED_PT, (
        f"its smallest text prints at {layout.smallest_printed_pt:.1f} pt "
        f"(drawn at {layout.smallest_printed_pt / layout.scale:g} pt, scaled by "
        f"{layout.scale:.2f} to its page): draw it narrower or with larger text"
    )


def test_the_pages_own_text_prints_at_7_pt_or_more():
    for number, page in enumerate(handout_pages(FIGURES_DIR), start=1):
        assert smallest_font_size(page) >= SMALLEST_PRINTED_PT, f"page {number}"
        plt.close(page)


def test_every_word_prints_inside_the_page_margins():
    outside = words_outside_the_margins(FIGURES_DIR / HANDOUT)
    assert not outside, f"words outside the {MARGIN_IN:g} in margins (page, word, box): {outside}"


def test_every_picture_prints_inside_the_page_margins():
    with pdfplumber.open(FIGURES_DIR / HANDOUT) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for image in page.images:
                assert image["x0"] >= MARGIN_PT - 0.5 and image["top"] >= MARGIN_PT - 0.5
                assert image["x1"] <= page.width - MARGIN_PT + 0.5, f"page {number}"
                assert image["bottom"] <= page.height - MARGIN_PT + 0.5, f"page {number}"


def test_the_margin_check_catches_a_line_that_runs_off_the_page(tmp_path):
    fig = plt.figure(figsize=(8.5, 11))
    fig.text(0.1, 0.5, "a line far too long " * 12)
    fig.savefig(tmp_path / "off.pdf")
    plt.close(fig)
    assert words_outside_the_margins(tmp_path / "off.pdf")


def test_lines_are_wrapped_by_their_printed_width():
    lines = wrap(DISCLAIMER, 7.5, 3.0)
    assert len(lines) > 1 and " ".join(lines) == DISCLAIMER
    assert all(text_width_in(line, 7.5) <= 3.0 for line in lines)


def test_the_health_note_prints_whole_on_every_page():
    for number, text in enumerate(page_texts(FIGURES_DIR / HANDOUT), start=1):
        assert DISCLAIMER in text, f"page {number}"


def test_each_figure_page_prints_its_title_once_and_explains_the_terms_it_uses():
    texts = page_texts(FIGURES_DIR / HANDOUT)[1:]
    glossed = set()
    for number, (png, text) in enumerate(zip(figure_files(FIGURES_DIR), texts, strict=True), 1):
        title = figure_metadata(png)["Title"]
        assert text.count(title) == 1, f"page {number + 1}: the title {title!r}"
        said, _, explained = text.partition(TERMS_HEADING)
        for term in terms_used(said):
            assert term.meaning in explained, f"page {number + 1} uses {term.name} unexplained"
            glossed.add(term.name)
    # The words a reader trips on: each figure that uses them says what they mean.
    assert {"RACC", "%DV", "binds", "good source"} <= glossed, glossed


def test_each_meaning_starts_from_the_word_it_explains():
    for term in GLOSSARY:
        assert term.pattern.search(term.meaning.split(":")[0]), term.name


def test_the_evidence_grades_glossary_names_every_grade_the_charts_draw():
    """A grade added to the charts (plotting.EVIDENCE_GRADES) must be glossed on the page."""
    from cramplab.plotting import EVIDENCE_GRADES
    from cramplab_tools.handout import GRADE_GLOSSES

    assert set(GRADE_GLOSSES) == set(EVIDENCE_GRADES)
