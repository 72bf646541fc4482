"""Editions of the course from one source: `make student` writes the student edition.

notebooks/ holds the instructor edition, the source of truth: worked solutions, their outputs
and notes for the teacher. The student edition in student/ is generated from it (and
committed, so a clone has it ready; a test checks it is current). Cells carry tags:

  solution     an exercise's worked answer (collapsed in JupyterLab); in the student edition
               a placeholder, `answer_N_M = ...` (the exercise's own name), tagged `answer`
  self-check   the cell that checks an answer (cramplab.checks); kept
  instructor   notes for the teacher (timing, common mistakes, prompts); dropped
  explore      the cell of an open-ended exercise (no self-check); kept as it is

Everything else is kept as it is. The student edition stores the outputs of a fresh run with
every exercise unanswered: each notebook is executed from a fresh kernel
(cramplab_tools.notebooks), so a self-check shows "Not answered yet: ..." and no output of a
solution can survive. A notebook that fails to run (a later cell needing a value only a
solution computes, say) stops the run and leaves student/ as it was.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import nbformat

from cramplab.paths import CloneRequired, find_clone
from cramplab_tools import atomic
from cramplab_tools.notebooks import (
    KernelWorkers,
    NotebookFailed,
    course_notebooks,
    execute_notebook,
    remove_abandoned_kernel_folders,
)

SOLUTION, SELF_CHECK, INSTRUCTOR, EXPLORE = "solution", "self-check", "instructor", "explore"
ANSWER = "answer"  # the tag of a placeholder in the student edition
ANSWER_NAME = re.compile(r"^(answer\w*)\s*=", flags=re.M)
# Tooling comments in markdown (<!--fact:NAME-->, <!--not-data-->, ...) are for the course's
# checkers: a student editing a cell, or reading the site, should not meet them.
HTML_COMMENT = re.compile(r"<!--.*?-->", flags=re.S)
# The first line of every placeholder: a student who opens the notebook at an exercise needs
# the cells above (data, helpers) before their own code can run.
STARTED_HERE = "# Started here? Run the cells above first."
EDITION_METADATA = {"edition": "student", "generated_by": "make student, from notebooks/"}
JOBS = 2  # two kernels at once, as make figures


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def without_comments(markdown: str) -> str:
    """Markdown with every HTML comment removed (the prose checker's markers among them)."""
    return HTML_COMMENT.sub("", markdown)


def placeholder(solution: str) -> str:
    """What a student sees instead of a solution: the names the self-check will look at."""
    names = list(dict.fromkeys(ANSWER_NAME.findall(solution)))
    lines = [
        STARTED_HERE,
        "# Your turn: replace each ... with your code, then run the self-check below.",
    ]
    lines += [f"{name} = ..." for name in names] or ["..."]
    return "\n".join(lines)


def student_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without solutions, instructor notes or any output (not yet executed)."""
    student = nbformat.from_dict(notebook)
    cells = []
    for cell in student.cells:
        cell_tags = tags(cell)
        if INSTRUCTOR in cell_tags:
            continue
        if SOLUTION in cell_tags:
            cell.source = placeholder(cell.source)
            cell.metadata.pop("jupyter", None)  # show the placeholder, not a collapsed cell
            cell.metadata.tags = [ANSWER if tag == SOLUTION else tag for tag in cell.metadata.tags]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = without_comments(cell.source)
        cells.append(cell)
    student.cells = cells
    student.metadata.pop("widgets", None)
    student.metadata["cramplab"] = dict(EDITION_METADATA)
    return student


def student_edition(path: Path) -> nbformat.NotebookNode:
    """The student edition of a course notebook, executed as a student's first Run All."""
    notebook = student_notebook(nbformat.read(path, as_version=4))
    env = {"CRAMPLAB_FIGURES_MODE": "off"}  # figures come from the instructor edition only
    executed, _ = execute_notebook(notebook, path.parent, f"{path.name} (student edition)", env)
    executed.metadata.pop("widgets", None)
    return executed


def write_student_edition(target: Path, source: Path | None = None) -> list[Path]:
    """Write every course notebook's student edition into target, replacing what was there.

    Every notebook is executed first (two at a time), then the edition is written in full into
    a hidden sibling folder and swapped in with one rename that Ctrl-C and SIGTERM wait for:
    an interrupt, even a kill, leaves either the old edition or the new one, never a part of
    each.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.recover_folder(target)  # what a killed run left beside it
    paths = course_notebooks(source)
    with KernelWorkers(JOBS) as workers:  # an interrupt stops their kernels at once
        futures = [workers.submit(student_edition, path) for path in paths]
        editions = [future.result() for future in futures]
    with atomic.Staging(target.parent, prefix=atomic.staging_prefix(target)) as staging:
        for path, edition in zip(paths, editions, strict=True):
            nbformat.write(edition, staging.path / path.name)
        staging.path.chmod(_folder_mode())  # mkdtemp made it private; the edition is not
        atomic.replace_folder(staging.path, target)
        staging.release()
    return [target / path.name for path in paths]


def _folder_mode() -> int:
    """The mode a new folder gets from this user's umask (os.makedirs would give it)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["student"]:
        print("usage: python -m cramplab_tools.editions student [TARGET_DIR]", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        clone = find_clone(command="make student")
        target = Path(args[1]) if len(args) > 1 else clone.student
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    remove_abandoned_kernel_folders()  # and their kernels, if a killed run left any
    print(f"make student: running each notebook of {clone.notebooks.name}/ as a student would")
    try:
        with atomic.interrupts_raise():
            written = write_student_edition(target, clone.notebooks)
    except NotebookFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupt:
        done = getattr(interrupt, "committed", False)
        state = "already held the new edition" if done else "was left as it was"
        print(f"interrupted: {target} {state}", file=sys.stderr)
        return atomic.exit_code(interrupt)
    print(
        f"student edition: {len(written)} notebooks in {target} ({time.perf_counter() - start:.0f} s)"
    )
    print(
        "  solutions replaced by placeholders, instructor notes removed, outputs of a fresh "
        "run with every exercise unanswered"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
