"""`make handout`: figures/handout.pdf, US Letter, built with matplotlib alone.

A cover page (course title, health note, how to read the figures, data sources), then every
figure in notebook order, one per page: its title once, as the page's heading (the figure files
leave out the title the notebook draws, cramplab.plotting), the picture as large as the page
allows, its caption and source, the terms the page uses explained, and the health note.

Every line is wrapped by its measured width to the page's margins. A wide, short figure gets a
landscape page when that prints it at least LANDSCAPE_GAIN times larger. The bytes are
reproducible: no creation date or producer string, fonts that ship with matplotlib.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import matplotlib.image as mpimg
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from PIL import Image

from cramplab import DISCLAIMER
from cramplab.analysis import EXCELLENT_SOURCE_PCT, GOOD_SOURCE_PCT
from cramplab.claims import VERDICT_LABELS, VERDICT_MEANINGS, VERDICTS
from cramplab.paths import CloneRequired, find_clone
from cramplab.plan import BINDING_MARGIN
from cramplab.plotting import (
    DPI,
    EVIDENCE_GRADES,
    EVIDENCE_LABELS,
    figure_metadata,
    write_atomically,
)

PORTRAIT, LANDSCAPE = (8.5, 11.0), (11.0, 8.5)  # US Letter, inches
LETTER = PORTRAIT
MARGIN_IN = 0.6  # on every side; nothing is printed outside
TEXT_WIDTH_IN = PORTRAIT[0] - 2 * MARGIN_IN  # the measure of every line of text
HEADING_PT, CAPTION_PT, SOURCE_PT, TERMS_PT, FOOTER_PT = 13, 10, 8.5, 8.5, 7.5
LINE_SPACING = 1.3
GAP_IN = 0.14
FOOTER_DESCENT_IN = 0.05
BULLET_INDENT_IN = 0.18
SMALLEST_PRINTED_PT = 7.0  # no text on paper smaller than this
LANDSCAPE_GAIN = 1.15  # turn the page only for a figure that prints this much larger
HANDOUT = "handout.pdf"
FONT = "DejaVu Sans"
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
    "Each figure page explains, under the caption, the terms that page uses.",
]


# The evidence grades of a link (cramplab.claims.evidence_grade), glossed as briefly as a
# page footnote allows; notebook 05 gives the full rules.
GRADE_GLOSSES = {
    "established": "a clinical reference states it, or GRADE certainty is moderate or high",
    "limited": "low GRADE certainty",
    "mixed": "direct studies disagree",
    "very_uncertain": "very low GRADE certainty",
    "indirect_against": "only studies of other people or other remedies point against",
    "inconclusive": "no study precise enough either way",
    "contradicted": "direct evidence against",
    "no_evidence_found": "a recorded search found no study",
}


def _name_of_grade(grade: str) -> str:
    """The chart's label, without its gloss in brackets, in a list separated by semicolons."""
    return EVIDENCE_LABELS[grade].split(" (")[0].replace(";", ",").lower()


@dataclass(frozen=True)
class Term:
    """A word a figure page may use, and what it means: printed on every page that uses it."""

    name: str
    pattern: re.Pattern
    meaning: str


GLOSSARY = [
    Term(
        "RACC",
        re.compile(r"\bRACC\b|reference amount"),
        "RACC (reference amount customarily consumed): the FDA's standard amount of a kind of "
        "food, on which label values and claim words are computed (21 CFR 101.12); not the "
        "household serving.",
    ),
    Term(
        "%DV",
        re.compile(r"%\s?DV|\bDV\b|Daily Value"),
        "%DV (percent Daily Value): an amount as a share of the FDA's Daily Value, the one "
        "reference amount a day per nutrient that food labels use (21 CFR 101.9).",
    ),
    Term(
        "good source",
        re.compile(r"good sources?|excellent sources?|FDA word", re.I),
        f"Good source, excellent source: the FDA's words for a food that gives at least "
        f"{GOOD_SOURCE_PCT:g}% or at least {EXCELLENT_SOURCE_PCT:g}% of the Daily Value per "
        "RACC (21 CFR 101.54).",
    ),
    Term(
        "household serving",
        re.compile(r"household serving", re.I),
        "Household serving: the serving USDA SR28 lists for a food (a cup, a medium banana), "
        "what is on a plate; it varies from food to food.",
    ),
    Term(
        "binds",
        re.compile(r"\bbind(s|ing)?\b", re.I),
        f"Binds: a target binds when the menu meets it with less than {BINDING_MARGIN:.0%} to "
        f"spare, a limit when the menu comes within {BINDING_MARGIN:.0%} of it; the menu is "
        "pressed against it.",
    ),
    Term(
        "RDA, AI",
        re.compile(r"\bRDA\b|\bAI\b"),
        "RDA (Recommended Dietary Allowance): the daily intake that meets the needs of nearly all "
        "(97 to 98%) healthy people of an age and sex; AI (Adequate Intake): the figure set "
        "where no RDA can be (IOM).",
    ),
    Term(
        "UL",
        re.compile(r"\bUL\b|[Uu]pper [Ii]ntake|upper limit"),
        "UL (Tolerable Upper Intake Level): the highest average daily intake likely to pose no "
        "risk of adverse health effects to almost all individuals in the general population "
        "(IOM); not a target.",
    ),
    Term(
        "evidence grades",
        re.compile(r"\bgrades?\b|\bestablished\b", re.I),
        "Evidence grades: "
        + "; ".join(
            f"{_name_of_grade(grade)} ({GRADE_GLOSSES[grade]})" for grade in EVIDENCE_GRADES
        )
        + ".",
    ),
    Term(
        "verdicts",
        re.compile(r"\bverdicts?\b|\bsupported\b", re.I),
        "Verdicts: "
        + "; ".join(
            f"{VERDICT_LABELS[v].lower()} ({VERDICT_MEANINGS[v].rstrip('.')[0].lower()}"
            f"{VERDICT_MEANINGS[v].rstrip('.')[1:]})"
            for v in VERDICTS
        )
        + ".",
    ),
    Term(
        "ratio",
        re.compile(r"\bratios?\b|95% interval", re.I),
        "Risk ratio, odds ratio: how many times more often something happens in one group than "
        "in another; 1 means no difference. The 95% interval is the range of ratios the study "
        "is compatible with: one that crosses 1 cannot rule out no difference.",
    ),
    Term(
        "absorbed",
        re.compile(r"\babsorb", re.I),
        "Absorbed calcium: the part of a food's calcium the gut takes up, measured in studies "
        "that fed milk as the comparison (Heaney, Weaver & Recker 1988; Weaver, Proulx & "
        "Heaney 1999).",
    ),
    Term(
        "kcal",
        re.compile(r"\bkcal\b"),
        "kcal (kilocalories): the food energy a label calls Calories.",
    ),
]


def terms_used(text: str) -> list[Term]:
    """The glossary terms a text uses, in glossary order."""
    return [term for term in GLOSSARY if term.pattern.search(text)]


# --- text measured and wrapped to the margins -------------------------------------------


def text_width_in(text: str, points: float, weight: str = "normal") -> float:
    """How wide a line prints, in inches, in the handout's font (unhinted, as in the PDF)."""
    prop = FontProperties(family=FONT, size=points, weight=weight)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72


def wrap(text: str, points: float, width_in: float, weight: str = "normal") -> list[str]:
    """The text's lines, each no wider than width_in (a blank line between paragraphs stays)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width_in(candidate, points, weight) > width_in:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Block:
    """Lines of text printed together at one size, left-aligned."""

    lines: tuple[str, ...]
    points: float
    weight: str = "normal"
    color: str = "black"

    @classmethod
    def wrapped(cls, text: str, points: float, width_in: float = TEXT_WIDTH_IN, **style):
        return cls(tuple(wrap(text, points, width_in, style.get("weight", "normal"))), points,
                   **style)  # fmt: skip

    @property
    def height_in(self) -> float:
        return len(self.lines) * self.points * LINE_SPACING / 72

    def draw(self, fig: plt.Figure, left_in: float, top_in: float) -> float:
        """Draw with its top at top_in (inches from the page's bottom); return its bottom."""
        width, height = fig.get_size_inches()
        fig.text(left_in / width, top_in / height, "\n".join(self.lines), fontsize=self.points,
                 weight=self.weight, color=self.color, va="top", linespacing=LINE_SPACING)  # fmt: skip
        return top_in - self.height_in


def footer(page_label: str, measure: float = TEXT_WIDTH_IN) -> Block:
    """The health note, wrapped, with the page's label after it."""
    return Block.wrapped(f"{DISCLAIMER} {page_label}", FOOTER_PT, measure, color="0.35")


def draw_footer(fig: plt.Figure, block: Block) -> None:
    """The footer sits on the bottom margin, inside it (with room for the last descender)."""
    block.draw(fig, MARGIN_IN, MARGIN_IN + FOOTER_DESCENT_IN + block.height_in)


# --- the pages --------------------------------------------------------------------------


def cover_page(figure_count: int) -> plt.Figure:
    fig = plt.figure(figsize=PORTRAIT)
    top = PORTRAIT[1] - MARGIN_IN

    def write(text: str, points: float, gap: float = 0.1, **style) -> None:
        nonlocal top
        top = Block.wrapped(text, points, **style).draw(fig, MARGIN_IN, top) - gap

    def bullet(text: str, points: float = 9.5, gap: float = 0.08) -> None:
        nonlocal top
        Block(("•",), points).draw(fig, MARGIN_IN, top)
        block = Block.wrapped(text, points, TEXT_WIDTH_IN - BULLET_INDENT_IN)
        top = block.draw(fig, MARGIN_IN + BULLET_INDENT_IN, top) - gap

    write("cramplab", 30, weight="bold")
    write(TITLE.split(": ", 1)[1].capitalize(), 16, gap=0.25)
    write(
        "Handout for the cramplab course: a popular online guide claims that frequent muscle "
        "cramps point to nutrient deficiencies. These figures check its claims against USDA "
        f"food data and the published evidence ({figure_count} figures, one per page).",
        11,
        gap=0.2,
    )
    write(DISCLAIMER, 11, gap=0.3, weight="bold")
    write("How to read the figures", 13, weight="bold")
    for note in READING_NOTES:
        bullet(note)
    top -= 0.2
    write("Data sources", 13, weight="bold")
    for source in SOURCES:
        bullet(source)
    top -= 0.2
    write("Regenerate with `make figures` (figures) and `make handout` (this file).", 8,
          color="0.4")  # fmt: skip
    draw_footer(fig, footer("Page 1."))
    return fig


@dataclass(frozen=True)
class Placement:
    """One figure's page: its size, its text blocks and how large the picture prints."""

    page_in: tuple[float, float]
    heading: Block
    below: tuple[Block, ...]  # caption, source, terms: under the picture, in this order
    footer: Block
    terms: tuple[str, ...]  # the glossary terms the page explains
    scale: float  # printed size / the figure's own size
    width_in: float
    height_in: float
    room_in: tuple[float, float]  # the most the picture could take on this page
    smallest_printed_pt: float

    @property
    def landscape(self) -> bool:
        return self.page_in == LANDSCAPE

    @property
    def fills_room(self) -> bool:
        """The picture reaches the room's full width or its full height."""
        width, height = self.room_in
        return self.width_in >= width - 1e-6 or self.height_in >= height - 1e-6


def _layout(png: Path, number: int, page_in: tuple[float, float]) -> Placement:
    meta = figure_metadata(png)
    measure = page_in[0] - 2 * MARGIN_IN
    heading = Block.wrapped(f"Figure {number}. {meta['Title']}", HEADING_PT, measure,
                            weight="bold")  # fmt: skip
    # The alt text too: it says what the picture shows (a legend's "binds", an axis's "%DV").
    terms = terms_used(" ".join(meta[key] for key in ("Title", "Description", "Source", "Alt")))
    below = [
        Block.wrapped(meta["Description"], CAPTION_PT, measure),
        Block.wrapped(
            f"Source: {meta['Source']}. Notebook {meta['Notebook']}; figures/{png.name}.",
            SOURCE_PT,
            measure,
            color="0.3",
        ),
    ]
    if terms:
        below.append(Block(("Terms on this page",), TERMS_PT, weight="bold"))
        below += [Block.wrapped(term.meaning, TERMS_PT, measure) for term in terms]
    page_footer = footer(f"Page {number + 1}.", measure)
    width_room = page_in[0] - 2 * MARGIN_IN
    height_room = (
        page_in[1] - 2 * MARGIN_IN - heading.height_in - page_footer.height_in - FOOTER_DESCENT_IN
        - sum(block.height_in for block in below) - GAP_IN * (len(below) + 2)
    )  # fmt: skip
    with Image.open(png) as image:
        width_px, height_px = image.size
    width_in, height_in = width_px / DPI, height_px / DPI
    scale = min(width_room / width_in, height_room / height_in)
    return Placement(
        page_in,
        heading,
        tuple(below),
        page_footer,
        tuple(term.name for term in terms),
        scale,
        width_in * scale,
        height_in * scale,
        (width_room, height_room),
        float(meta.get("SmallestFontPt", 0)) * scale,
    )


def placement(png: Path, number: int) -> Placement:
    """The page layout of one figure: as large as the page allows, turned if that pays."""
    portrait = _layout(png, number, PORTRAIT)
    landscape = _layout(png, number, LANDSCAPE)
    return landscape if landscape.scale >= LANDSCAPE_GAIN * portrait.scale else portrait


def figure_page(png: Path, number: int) -> plt.Figure:
    layout = placement(png, number)
    page_width, page_height = layout.page_in
    fig = plt.figure(figsize=layout.page_in)
    top = layout.heading.draw(fig, MARGIN_IN, page_height - MARGIN_IN) - GAP_IN
    ax = fig.add_axes(
        (
            MARGIN_IN / page_width,
            (top - layout.height_in) / page_height,
            layout.width_in / page_width,
            layout.height_in / page_height,
        )
    )
    ax.imshow(mpimg.imread(png), interpolation="none")  # embedded at full resolution
    ax.set_axis_off()
    top -= layout.height_in + GAP_IN
    for block in layout.below:
        top = block.draw(fig, MARGIN_IN, top) - GAP_IN
    draw_footer(fig, layout.footer)
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
        mpl.rcParams.update({"font.family": FONT})
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
