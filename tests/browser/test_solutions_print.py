"""build/solutions.html on paper: Chromium prints it to PDF as a teacher's browser would, and
every word lands inside the page's margins, nothing scrolls, and no line of a self-check is cut.
"""

from __future__ import annotations

import html
import re

import pdfplumber
import pytest
from repo import CLONE

from cramplab_tools.notebooks import course_notebooks
from cramplab_tools.solutions import PRINT_MARGIN_IN, handout

pytestmark = pytest.mark.browser

# Boxes whose content is wider than the box: on paper that is a cut line or a scrollbar.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !== 'inline')
  .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60))"""
MARGIN_PT = PRINT_MARGIN_IN * 72


@pytest.fixture(scope="module")
def printed(browser, tmp_path_factory, screenshots):
    folder = tmp_path_factory.mktemp("solutions")
    source = folder / "solutions.html"
    text = handout(course_notebooks(CLONE.notebooks))
    source.write_text(text, encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(source.as_uri())
        page.emulate_media(media="print")
        overflowing = page.evaluate(OVERFLOWING)
        page.screenshot(path=screenshots / "solutions-print.png", full_page=False)
        pdf = folder / "solutions.pdf"
        page.pdf(path=str(pdf), format="Letter", prefer_css_page_size=True)
    finally:
        page.close()
    with pdfplumber.open(pdf) as document:
        pages = [(p.width, p.height, p.extract_words()) for p in document.pages]
        words = " ".join(" ".join(p.extract_text().split()) for p in document.pages)
    return text, overflowing, pages, words


def test_nothing_on_the_printed_page_is_wider_than_its_box(printed):
    _, overflowing, _, _ = printed
    assert not overflowing, f"cut or scrolled on paper: {overflowing}"


def test_every_printed_word_lies_inside_the_page_margins(printed):
    _, _, pages, _ = printed
    assert len(pages) > 1
    outside = [
        (number, word["text"], round(word["x0"]), round(word["x1"]))
        for number, (width, height, words) in enumerate(pages, start=1)
        for word in words
        if word["x0"] < MARGIN_PT - 1
        or word["x1"] > width - MARGIN_PT + 1
        or word["top"] < MARGIN_PT - 1
        or word["bottom"] > height - MARGIN_PT + 1
    ]
    assert not outside, f"words outside the {PRINT_MARGIN_IN} in margins: {outside[:20]}"


def test_every_self_check_line_prints_in_full(printed):
    text, _, _, words = printed
    lines = re.findall(r'<pre class="check">(.*?)</pre>', text, flags=re.S)
    assert lines, "the handout shows no self-check output"
    printed_text = "".join(words.split())
    for line in (html.unescape(ln) for block in lines for ln in block.splitlines()):
        assert "".join(line.split()) in printed_text, f"not printed whole: {line[:80]!r}"
