"""Editions of the course from one source: `make student` writes the student edition.

The notebooks in notebooks/ are the instructor edition. Cells carry tags:
  solution     an exercise's worked answer (collapsed in JupyterLab); becomes a placeholder
  self-check   the cell that checks an answer; kept, with its stored output cleared
  instructor   notes for the teacher (timing, common mistakes, prompts); dropped
The student edition keeps everything else as it is, outputs included.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat

from cramplab import atomic
from cramplab.course.notebooks import course_notebooks
from cramplab.paths import CloneRequired, find_clone

SOLUTION, SELF_CHECK, INSTRUCTOR = "solution", "self-check", "instructor"
ANSWER_NAME = re.compile(r"^(answer\w*)\s*=", flags=re.M)


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def placeholder(solution: str) -> str:
    """What a student sees instead of a solution: the names the self-check will look at."""
    names = list(dict.fromkeys(ANSWER_NAME.findall(solution)))
    lines = ["# Your turn: replace each ... with your code, then run the self-check below."]
    lines += [f"{name} = ..." for name in names] or ["..."]
    return "\n".join(lines)


def student_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of the notebook without solutions or instructor notes."""
    student = nbformat.from_dict(notebook)
    cells = []
    for cell in student.cells:
        cell_tags = tags(cell)
        if INSTRUCTOR in cell_tags:
            continue
        if SOLUTION in cell_tags:
            cell.source = placeholder(cell.source)
            cell.metadata.pop("jupyter", None)  # show the placeholder, not a collapsed cell
        if cell_tags & {SOLUTION, SELF_CHECK} and cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    student.cells = cells
    return student


def write_student_edition(target: Path, source: Path | None = None) -> list[Path]:
    """Write every course notebook's student edition into target, replacing what was there.

    The edition is written in full into a hidden sibling folder, then swapped in with one
    rename that Ctrl-C and SIGTERM wait for: an interrupt, even a kill, leaves either the old
    edition or the new one, never a part of each.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.recover_folder(target)  # what a killed run left beside it
    notebooks = course_notebooks(source)
    with atomic.Staging(target.parent, prefix=atomic.staging_prefix(target)) as staging:
        for path in notebooks:
            edition = student_notebook(nbformat.read(path, as_version=4))
            nbformat.write(edition, staging.path / path.name)
        staging.path.chmod(_folder_mode())  # mkdtemp made it private; the edition is not
        atomic.replace_folder(staging.path, target)
        staging.release()
    return [target / path.name for path in notebooks]


def _folder_mode() -> int:
    """The mode a new folder gets from this user's umask (os.makedirs would give it)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["student"]:
        print("usage: python -m cramplab.course.editions student [TARGET_DIR]", file=sys.stderr)
        return 2
    try:
        target = Path(args[1]) if len(args) > 1 else find_clone(command="make student").student
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        with atomic.interrupts_raise():
            written = write_student_edition(target)
    except KeyboardInterrupt as interrupt:
        done = getattr(interrupt, "committed", False)
        state = "already held the new edition" if done else "was left as it was"
        print(f"interrupted: {target} {state}", file=sys.stderr)
        return atomic.exit_code(interrupt)
    print(f"student edition: {len(written)} notebooks in {target}")
    print(
        "  solutions replaced by placeholders, instructor notes removed, exercise outputs cleared"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
