"""Where each lesson lives: one table from each notebook to its other five places.

A notebook's concerns are spread over six places: the instructor notebook (notebooks/NN_*), its
student copy (student/, made by `make student`), its self-checks (the messages a student reads:
cramplab/checks/nNN_*), the facts its prose states (tools/cramplab_tools/facts/nNN_*), the tests of
those self-checks (tests/checks/test_nNN_*) and the figures it saves (figures/NN_*, drawn by the
notebook's own cells with cramplab.plotting's style). This module finds them by that naming rule
and writes the table into CONTRIBUTING.md between two markers:

    python -m cramplab_tools.lessons            # rewrite the table
    python -m cramplab_tools.lessons --check    # exit 1 when it is stale (a test does this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cramplab.paths import find_clone

START, END = "<!-- lesson-map:start -->", "<!-- lesson-map:end -->"
# Where each kind of file lives in the repository (tools/MOVE_PLAN.md moves the facts).
CHECKS_DIR = "src/cramplab/checks"
FACTS_DIR = "tools/cramplab_tools/facts"
COLUMNS = ("notebook", "student copy", "self-checks", "prose facts", "self-check tests", "figures")


def places(root: Path) -> list[tuple[str, ...]]:
    """One row per instructor notebook: the six places, each a repository path or '-'."""
    rows = []
    for notebook in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        stem = notebook.stem
        number = stem[:2]
        found = [
            root / "student" / notebook.name,
            root / CHECKS_DIR / f"n{stem}.py",
            root / FACTS_DIR / f"n{stem}.py",
            root / "tests" / "checks" / f"test_n{stem}.py",
        ]
        cells = [f"`{notebook.relative_to(root).as_posix()}`"]
        cells += [f"`{p.relative_to(root).as_posix()}`" if p.exists() else "-" for p in found]
        figures = sorted({p.stem for p in (root / "figures").glob(f"{number}_*.svg")})
        cells.append(", ".join(f"`{name}`" for name in figures) or "-")
        rows.append(tuple(cells))
    return rows


def table(root: Path) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COLUMNS) + " |",
        *("| " + " | ".join(row) + " |" for row in places(root)),
    ]
    return "\n".join(lines)


def with_table(text: str, root: Path) -> str:
    """text with the part between the markers replaced by the current table."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), flags=re.S)
    if not pattern.search(text):
        raise ValueError(f"CONTRIBUTING.md has no {START} ... {END} markers")
    return pattern.sub(lambda _: f"{START}\n{table(root)}\n{END}", text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = find_clone(command="python -m cramplab_tools.lessons").root
    guide = root / "CONTRIBUTING.md"
    text = guide.read_text(encoding="utf-8")
    updated = with_table(text, root)
    if "--check" in args:
        if updated != text:
            print(f"{guide}: the lesson map is stale; run python -m cramplab_tools.lessons")
            return 1
        return 0
    if updated != text:
        guide.write_text(updated, encoding="utf-8")
        print(f"wrote the lesson map in {guide}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
