"""How long each notebook takes a class, estimated as a lecturer would, and a one-class path.

The estimate counts what a student reads and does in the student edition (instructor notes
and worked solutions left out):

  prose           words of markdown (tooling comments removed) at 175 words a minute
  code            words of the code cells at half that speed (87.5 a minute): code is read
                  slowly, and run
  printed output  words of text output (tables, printed lines) at 250 a minute: it is scanned
  figures         1 minute each
  exercises       5 minutes each (an exercise's answer cell, or an open "explore" cell)
  discussion      5 minutes a notebook

Each notebook's total is rounded to the nearest 5 minutes. `python -m cramplab_tools.timing`
prints the table; `--write-headers` writes "**Time:** about N minutes." (with its fact marker,
checked by the prose checker like any number) into each notebook's header cell, refreshes every
other time the notebooks mark (00's one-class path), and rewrites the README's table and
one-class path (section "How long it takes"). Run it after changing a notebook.

ONE_CLASS is the path for a single class of about 90 minutes: which sections of which notebooks.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from cramplab_tools.editions import EXPLORE, INSTRUCTOR, SOLUTION, without_comments
from cramplab_tools.notebooks import course_notebooks

PROSE_WPM = 175
CODE_WPM = PROSE_WPM / 2
OUTPUT_WPM = 250
FIGURE_MIN = 1
EXERCISE_MIN = 5
DISCUSSION_MIN = 5
ROUND_TO = 5

TIME_LINE = re.compile(r"\*\*Time:\*\* about \d+(?:<!--fact:time_\d\d-->)? minutes")
HEADING = re.compile(r"^## (.+)$", re.M)

# One class of about 90 minutes: the course's argument in miniature (the claim, the yardstick
# that decides it, the verdicts). Each entry is a notebook and the '## ' sections of it the class
# works through, besides its header (None: the whole notebook); the class runs each notebook
# with Run All first, so the sections it skips still compute what later ones use.
ONE_CLASS: list[tuple[str, list[str] | None]] = [
    ("00_start_here", ["The guide's argument as a chain", "How to run and explore"]),
    (
        "03_food_sources",
        [
            "Three yardsticks",
            "The views disagree",
            "Percent of the Daily Value",
            "The FDA's yardstick: the reference amount",
            "Where do the guide's picks rank?",
        ],
    ),
    (
        "06_checking_the_guide",
        ["How a verdict is reached", "Electrolytes, one by one", "The verdicts in one table"],
    ),
]


@dataclass(frozen=True)
class Estimate:
    prose_words: int
    code_words: int
    output_words: int
    figures: int
    exercises: int

    @property
    def reading_minutes(self) -> float:
        return (
            self.prose_words / PROSE_WPM
            + self.code_words / CODE_WPM
            + self.output_words / OUTPUT_WPM
            + self.figures * FIGURE_MIN
            + self.exercises * EXERCISE_MIN
        )

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(
            self.prose_words + other.prose_words,
            self.code_words + other.code_words,
            self.output_words + other.output_words,
            self.figures + other.figures,
            self.exercises + other.exercises,
        )


NOTHING = Estimate(0, 0, 0, 0, 0)


def rounded(minutes: float) -> int:
    return int(ROUND_TO * round(minutes / ROUND_TO))


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _words(text: str) -> int:
    return len(text.split())


def _output_words(cell: dict) -> tuple[int, int]:
    """Words of text a cell prints, and how many figures it shows."""
    words = figures = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data or "image/svg+xml" in data:
            figures += 1
            continue
        if "text" in output:
            words += _words("".join(output["text"]))
        elif "text/plain" in data:
            words += _words("".join(data["text/plain"]))
    return words, figures


def cell_estimate(cell: dict) -> Estimate:
    """What one cell of the instructor edition costs a student (nothing for a teacher's note)."""
    tags = _tags(cell)
    source = "".join(cell["source"])
    if INSTRUCTOR in tags:
        return NOTHING
    if cell["cell_type"] == "markdown":
        return Estimate(_words(without_comments(source)), 0, 0, 0, 0)
    if cell["cell_type"] != "code":
        return NOTHING
    if SOLUTION in tags:  # the student writes it: the exercise's minutes cover it
        return Estimate(0, 0, 0, 0, 1)
    output_words, figures = _output_words(cell)
    return Estimate(0, _words(source), output_words, figures, int(EXPLORE in tags))


def sections(path: Path) -> list[tuple[str, Estimate]]:
    """The notebook's parts in order: ("", the header and overview), then each '## ' section."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    parts: list[tuple[str, Estimate]] = [("", NOTHING)]
    for index, cell in enumerate(cells):
        if index and cell["cell_type"] == "markdown" and INSTRUCTOR not in _tags(cell):
            headings = HEADING.findall(without_comments("".join(cell["source"])))
            if headings:  # a cell that opens a section (text before its heading counts there)
                parts.append((headings[-1].strip(), NOTHING))
        title, so_far = parts[-1]
        parts[-1] = (title, so_far + cell_estimate(cell))
    return parts


def notebook_minutes(path: Path) -> int:
    """A notebook's time in class, in minutes, rounded to the nearest 5."""
    total = sum((estimate for _, estimate in sections(path)), NOTHING)
    return rounded(total.reading_minutes + DISCUSSION_MIN)


def course_minutes(notebooks: list[Path] | None = None) -> dict[str, int]:
    """Minutes per notebook, by its two-digit number."""
    notebooks = course_notebooks() if notebooks is None else notebooks
    return {path.name[:2]: notebook_minutes(path) for path in notebooks}


def one_class_minutes(notebooks: list[Path] | None = None) -> dict[str, int]:
    """Minutes for each stop of ONE_CLASS (a part of a notebook gets its share of discussion)."""
    notebooks = course_notebooks() if notebooks is None else notebooks
    by_stem = {path.stem: path for path in notebooks}
    minutes = {}
    for stem, wanted in ONE_CLASS:
        parts = sections(by_stem[stem])
        titles = [title for title, _ in parts]
        missing = [title for title in wanted or [] if title not in titles]
        if missing:
            raise ValueError(f"{stem} has no section {missing}: update timing.ONE_CLASS")
        chosen = [e for title, e in parts if wanted is None or title in wanted or title == ""]
        total = sum(chosen, NOTHING)
        minutes[stem] = rounded(total.reading_minutes + DISCUSSION_MIN)
    return minutes


def header_line(number: str, minutes: int) -> str:
    return f"**Time:** about {minutes}<!--fact:time_{number}--> minutes"


def write_headers(notebooks: list[Path] | None = None) -> list[Path]:
    """Write each notebook's time into its header cell; returns the files changed."""
    notebooks = course_notebooks() if notebooks is None else notebooks
    changed = []
    for path in notebooks:
        number = path.name[:2]
        text = path.read_text(encoding="utf-8")
        notebook = json.loads(text)
        header = notebook["cells"][0]
        source = "".join(header["source"])
        if not TIME_LINE.search(source):
            raise ValueError(f"{path.name}: the header cell has no '**Time:** about N minutes'")
        header["source"] = TIME_LINE.sub(header_line(number, notebook_minutes(path)), source, 1)
        for cell in notebook["cells"]:  # the times 00 states, say, besides the header's
            if cell["cell_type"] == "markdown":
                cell["source"] = refresh_marked_times("".join(cell["source"]))
                lines = cell["source"].split("\n")
                # as nbformat writes it: no empty string after a closing newline
                cell["source"] = [line + "\n" for line in lines[:-1]] + [lines[-1]] * bool(
                    lines[-1]
                )
        new = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        if new != text:
            path.write_text(new, "utf-8")
            changed.append(path)
    return changed


TIME_MARKER = re.compile(r"[0-9][0-9.,]*<!--fact:(time_[a-z0-9_]+)(?::([^>]*?))?-->")


def refresh_marked_times(text: str) -> str:
    """Every number marked with a time_* fact, rewritten to what the estimate gives now."""
    from cramplab_tools.facts import FACTS, Context, format_value

    context = Context()

    def current(match: re.Match) -> str:
        fact = FACTS[match.group(1)]
        shown = format_value(fact.compute(context), match.group(2) or fact.format)
        return f"{shown}{match.group(0)[match.group(0).index('<!--') :]}"

    return TIME_MARKER.sub(current, text)


def write_readme(readme: Path, notebooks: list[Path] | None = None) -> bool:
    """Rewrite the README's table and one-class path (section "How long it takes") and every
    time it marks; returns whether the file changed."""
    notebooks = course_notebooks() if notebooks is None else notebooks
    text = readme.read_text(encoding="utf-8")
    start = text.index("| notebook | minutes |")
    end = text.index("\n## ", start)
    block = f"{table(notebooks)}\n\n{one_class_markdown(notebooks)}\n"
    new = refresh_marked_times(text[:start] + block + text[end:])
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def table(notebooks: list[Path] | None = None) -> str:
    """The README's table: minutes per notebook, and the whole module."""
    notebooks = course_notebooks() if notebooks is None else notebooks
    minutes = course_minutes(notebooks)
    lines = ["| notebook | minutes |", "| --- | --- |"]
    lines += [
        f"| `{path.stem}` | {minutes[path.name[:2]]}<!--fact:time_{path.name[:2]}--> |"
        for path in notebooks
    ]
    total = sum(minutes.values())
    lines.append(
        f"| the whole module | {total}<!--fact:time_total--> "
        f"(about {total / 60:.1f}<!--fact:time_total_hours:.1f--> hours) |"
    )
    return "\n".join(lines)


def one_class_markdown(notebooks: list[Path] | None = None) -> str:
    """The README's one-class path: each stop, its sections and its minutes."""
    notebooks = course_notebooks() if notebooks is None else notebooks
    minutes = one_class_minutes(notebooks)
    lines = [
        f"**One class of about 90 minutes** ({sum(minutes.values())}<!--fact:time_one_class--> minutes "
        "by the same estimate): open each notebook, press Run All, then work through its header "
        "and these sections, in order:",
        "",
    ]
    for stem, wanted in ONE_CLASS:
        parts = "the whole notebook" if wanted is None else "; ".join(f"*{w}*" for w in wanted)
        lines.append(f"- `{stem}` ({minutes[stem]} min): {parts}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--write-headers"]):
        print("usage: python -m cramplab_tools.timing [--write-headers]", file=sys.stderr)
        return 2
    notebooks = course_notebooks()
    for path in notebooks:
        total = sum((e for _, e in sections(path)), NOTHING)
        print(
            f"{path.stem:<28} {notebook_minutes(path):3d} min  (prose {total.prose_words:5d} "
            f"words, code {total.code_words:5d}, output {total.output_words:5d}, "
            f"{total.figures} figures, {total.exercises} exercises)"
        )
    minutes = course_minutes(notebooks)
    print(f"{'the whole module':<28} {sum(minutes.values()):3d} min")
    path_minutes = one_class_minutes(notebooks)
    print(f"one class: {sum(path_minutes.values())} min: {path_minutes}")
    if args:
        for path in write_headers(notebooks):
            print(f"wrote the time into {path.name}")
        readme = notebooks[0].parent.parent / "README.md"
        if write_readme(readme, notebooks):
            print("wrote the table and the one-class path into README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
