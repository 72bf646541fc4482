"""Prose that cannot go stale: every number a notebook's markdown states is checked against data/.

nbval compares what code prints; this module checks what the markdown says. A number (or a
comparison) that comes from the data is written in the markdown as plain text followed by an
invisible marker naming a fact in cramplab_tools.facts:

    `data` holds nine<!--fact:table_count:words--> tables.
    A baked potato gives more than twice<!--fact:potato_over_twice_banana--> the potassium ...

The marker renders as nothing in JupyterLab, on GitHub and on the course website. The checker
recomputes the fact from the data, formats it (``:words``, or a Python format spec such as
``:.1f`` or ``:.0%``) and requires the text just before the marker to read exactly that; a
claim (a comparison) must still hold and be worded as registered. Every other digit or number
word in the prose must be part of the wording (``<!--not-data-->`` after it), a sourced
constant (cramplab_tools.facts.SOURCED: 1 µg = 40 IU, the FDA's 10% and 20%, ...), or
structural (notebook and exercise numbers, reading times, years, the Sources section).

``python -m cramplab_tools.prose`` lists every statement the data have made false, by
notebook, cell and sentence; tests/tools/test_prose.py runs the same check in `make test`.
Whatever the data hold, the checker reports and never crashes: a fact whose code fails on them,
or whose value its format cannot write, is one more problem naming its sentence; only data that
do not load at all stop it, with the loader's one-line error.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from cramplab.data import DataError
from cramplab.paths import CloneRequired, find_clone
from cramplab_tools.facts import FACTS, SOURCED, Context, FactError, format_value
from cramplab_tools.notebooks import course_notebooks

MARKER = re.compile(r"<!--\s*fact:(?P<name>[a-z0-9_]+)(?::(?P<format>[^>]*?))?\s*-->")
NOT_DATA = "<!--not-data-->"
# Numbers the scan looks for: digits, and number words from two up (one is everywhere).
NUMBER = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)*|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|twice|thrice|half|dozen)\b",
    re.IGNORECASE,
)
# Numbers that are part of the course's structure, not of its findings.
STRUCTURAL = [
    re.compile(r"^#+ \d\d · ", re.M),  # notebook title
    re.compile(r"Exercise \d+\.\d+"),
    re.compile(r"notebooks? \d\d(?:(?:\u2013| and |, )\d\d)*", re.I),
    re.compile(r"`\d\d_[a-z_]+`"),
    re.compile(r"\*\*Time:\*\*[^\n]*"),
    re.compile(r"\*Timing:\*[^\n]*"),
    re.compile(r"\b(?:19|20)\d\d\b"),  # years, in citations
    re.compile(r"Release 28"),  # the name of USDA SR28
    re.compile(r"\d+ CFR \d+(?:\.\d+)*(?:\([a-z0-9]+\))*|\d+ FR \d+"),
    re.compile(r"^\s*\d+\. ", re.M),  # numbered lists
]
IGNORED = [
    re.compile(r"```.*?```", re.S),  # code blocks (the mermaid diagram, examples)
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"<!--.*?-->", re.S),  # markers and other comments
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
]
SOURCES_HEADING = re.compile(r"^## Sources\b.*", re.M | re.S)


@dataclass(frozen=True)
class Problem:
    """One statement that the data (or the checker's rules) do not support."""

    notebook: str
    cell: int  # position among all cells, counting from 0 as JupyterLab's cell index does
    sentence: str
    reason: str
    where: str = "cell"  # "line" for a plain markdown file

    def __str__(self) -> str:
        return f"{self.notebook}, {self.where} {self.cell}: {self.sentence!r}: {self.reason}"


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or list item) holding text[start:end], with markers removed."""
    left = max(text.rfind(sep, 0, start) for sep in (". ", "\n", "? ", "! ", ": "))
    rights = [i for sep in (". ", "\n", "? ", "! ") if (i := text.find(sep, end)) != -1]
    right = min(rights) + 1 if rights else len(text)
    sentence = text[left + 1 : right]
    sentence = MARKER.sub("", sentence).replace(NOT_DATA, "")
    return " ".join(sentence.split())


Span = tuple[int, int, str]  # start, end, what (a fact's name, or a problem)


def check_markers(text: str, context: Context) -> tuple[list[Span], list[Span]]:
    """Check each fact marker; return the spans it justifies and the problems found."""
    spans, problems = [], []
    for match in MARKER.finditer(text):
        name, fmt = match["name"], match["format"]
        before = text[: match.start()]
        last_word = re.search(r"\S+$", before)
        start = last_word.start() if last_word else match.start()  # what a problem covers
        fact = FACTS.get(name)
        if fact is None:
            problems.append((start, match.end(), f"no fact named {name!r} in facts.py"))
            continue
        try:
            value = fact.compute(context)
            if fact.claim is not None:
                expected, holds = fact.claim, bool(value)
            else:
                expected, holds = format_value(value, fmt or fact.format), True
        except FactError as error:
            problems.append((start, match.end(), f"{name}: {error}"))
            continue
        except DataError:
            raise  # the data cannot be read at all: said once, by the caller
        except Exception as error:  # a fact's code failed on these data: a sentence to check
            how = f" as {fmt!r}" if fmt else ""
            problems.append(
                (
                    start,
                    match.end(),
                    f"{name} could not be computed{how} from the data "
                    f"({type(error).__name__}: {error})",
                )
            )
            continue
        if not states(before, expected):
            stated = last_word.group(0) if last_word else ""
            problems.append(
                (
                    start,
                    match.end(),
                    f"states {name} as {stated!r}, but the data give {expected!r}",
                )
            )
        elif not holds:
            problems.append((start, match.end(), f"the data no longer support this ({name})"))
        else:
            spans.append((match.start() - len(expected), match.end(), name))
    return spans, problems


def states(before: str, expected: str) -> bool:
    """Whether the text before a marker ends with expected as a whole word (or words): "Ten"
    states ten, "Often" does not; nor does text shorter than expected (a marker at the start
    of a cell, and a longer value: "Ten" against "Eleven")."""
    if not expected or not before.endswith(expected):
        return False
    start = len(before) - len(expected)
    return start == 0 or not before[start - 1].isalnum()


def uncovered_numbers(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Digits and number words that no marker, sourced constant or structure accounts for."""
    mask = [False] * len(text)

    def cover(start: int, end: int) -> None:
        for i in range(start, min(end, len(text))):
            mask[i] = True

    for start, end in covered:
        cover(start, end)
    sources = SOURCES_HEADING.search(text)
    if sources:
        cover(sources.start(), len(text))
    for pattern in IGNORED + STRUCTURAL + [s.pattern for s in SOURCED]:
        for match in pattern.finditer(text):
            cover(match.start(), match.end())
    for match in re.finditer(re.escape(NOT_DATA), text):
        # The last number before the marker (a unit may sit between: "1 oz") is wording.
        window = text[max(0, match.start() - 12) : match.start()]
        numbers_before = list(NUMBER.finditer(window))
        if numbers_before:
            cover(match.start() - len(window) + numbers_before[-1].start(), match.end())
    return [
        (match.start(), match.end())
        for match in NUMBER.finditer(text)
        if not all(mask[match.start() : match.end()])
    ]


def check_cell(source: str, context: Context) -> list[Span]:
    spans, problems = check_markers(source, context)
    covered = [(start, end) for start, end, _ in spans]
    covered += [(start, end) for start, end, _ in problems]
    for start, end in uncovered_numbers(source, covered):
        problems.append(
            (
                start,
                end,
                f"{source[start:end]!r} is not checked: follow it with <!--fact:NAME--> "
                "(a fact in tools/cramplab_tools/facts) or, if it is wording, <!--not-data-->",
            )
        )
    return problems


def check_notebook(path: Path, context: Context) -> list[Problem]:
    notebook = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for start, end, reason in check_cell(cell.source, context):
            sentence = sentence_around(cell.source, start, end)
            found.append(Problem(path.name, index, sentence, reason))
    return found


# The plain markdown files whose marked counts are checked like the notebooks' prose.
MARKED_DOCUMENTS = ("README.md", "CONTRIBUTING.md", "data/README.md")


def check_document(path: Path, context: Context) -> list[Problem]:
    """The fact markers in a plain markdown file (the READMEs): each must agree with the data.

    Unlike a notebook, a README is not scanned for unmarked numbers: it is full of versions,
    timings and commands that are not data; only the counts it marks are data.
    """
    text = path.read_text(encoding="utf-8")
    _, problems = check_markers(text, context)
    return [
        Problem(
            path.name,
            text.count("\n", 0, start) + 1,
            sentence_around(text, start, end),
            why,
            "line",
        )
        for start, end, why in problems
    ]


def check_course(
    notebooks: list[Path] | None = None, data_dir=None, *, context: Context | None = None
) -> list[Problem]:
    """Every stale or unchecked statement in the course's markdown (empty when all is well).

    Never raises on what a fact computes: a fact that fails on the data is a problem naming its
    sentence. Only data that cannot be loaded at all raise (DataError), once.
    """
    context = Context(data_dir) if context is None else context
    context.data  # noqa: B018 - loaded first: broken data are one error, not one per marker
    notebooks = course_notebooks() if notebooks is None else notebooks
    return [problem for path in notebooks for problem in check_notebook(path, context)]


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    try:
        clone = None if names else find_clone(command="the prose checker", purpose="checks")
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    context = Context()
    try:
        problems = check_course(
            [Path(n) for n in names] or course_notebooks(clone.notebooks), context=context
        )
        if clone is not None:  # the whole course: the READMEs' marked counts too
            for readme in (clone.root / name for name in MARKED_DOCUMENTS):
                problems += check_document(readme, context)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        print("  (the data must load before their prose can be checked)", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} statements to fix", file=sys.stderr)
        return 1
    print(
        "every number in the notebooks' prose and every count the READMEs mark agrees with the data"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
