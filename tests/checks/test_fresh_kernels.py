"""Every exercise holds from any starting point: its cells run in a fresh kernel, first.

One kernel per notebook keeps the cost modest: `%reset -f` between runs empties the
namespace a student's cells see (what "fresh" means for a NameError), while modules stay
imported. For each exercise of the student edition:

1. its self-check alone: "Not answered yet", no error;
2. its answer placeholder alone, then its self-check: no error, "Not answered yet";

then, in the instructor edition run in order, each self-check is run once more just BEFORE its
own solution, with every earlier solution run: "Not answered yet", never "Correct!" or "Not
quite" for another exercise's answer; after the solution it says "Correct!".
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from repo import CLONE

from cramplab_tools.editions import ANSWER, SELF_CHECK, SOLUTION, tags
from cramplab_tools.notebooks import REPRODUCIBLE_ENV, course_notebooks

NOT_ANSWERED = "Not answered yet: "
TIMEOUT_S = 180
# Cells that may not run first, each with the reason it needs earlier state. Keys are
# (notebook stem, exercise number, "self-check" or "answer"). None so far: keep it short.
ALLOWED: dict[tuple[str, str, str], str] = {}


@dataclass
class Exercise:
    number: str
    answer: str  # the student's placeholder (student edition)
    check: str


def exercises(student: nbformat.NotebookNode) -> list[Exercise]:
    """The exercises of a student notebook: each answer cell with the self-check after it."""
    found, answer, number = [], None, ""
    for cell in student.cells:
        heading = re.findall(r"^### Exercise (\d+\.\d+)", cell.source, flags=re.M)
        if cell.cell_type == "markdown" and heading:
            number = heading[-1]
        elif ANSWER in tags(cell):
            answer = cell.source
        elif SELF_CHECK in tags(cell):
            assert answer is not None, f"Exercise {number}: a self-check with no answer cell"
            found.append(Exercise(number, answer, cell.source))
            answer = None
    return found


class Kernel:
    """A kernel whose cells' printed text and errors are collected."""

    def __init__(self, directory, sockets):
        env = {**os.environ, **REPRODUCIBLE_ENV, "CRAMPLAB_FIGURES_MODE": "off"}
        self.manager = KernelManager(kernel_name="python3", transport="ipc", ip=sockets)
        self.manager.start_kernel(cwd=str(directory), env=env)  # IPC: local only, no TCP warning
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=TIMEOUT_S)
        self._text: list[str] = []
        self._error = ""

    def run(self, code: str) -> tuple[str, str]:
        """(printed text, error name and value or "")."""
        reply = self.client.execute_interactive(code, timeout=TIMEOUT_S, output_hook=self._hook)
        text, error = "".join(self._text), self._error
        self._text, self._error = [], ""
        if reply["content"]["status"] == "error" and not error:
            error = f"{reply['content']['ename']}: {reply['content']['evalue']}"
        return text, error

    def _hook(self, message):
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            self._text.append(content["text"])
        elif kind == "error":
            self._error = f"{content['ename']}: {content['evalue']}"

    def fresh(self):
        self.run("%reset -f")

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


PATHS = course_notebooks(CLONE.notebooks)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_exercise_holds_from_any_starting_point(path, tmp_path):
    student = nbformat.read(CLONE.student / path.name, as_version=4)
    instructor = nbformat.read(path, as_version=4)
    found = exercises(student)
    assert found, f"{path.name} has no exercise with a self-check"
    kernel = Kernel(path.parent, str(tmp_path / "ipc"))
    problems = []
    try:
        for exercise in found:
            for cells, role in (
                ([exercise.check], "self-check"),
                ([exercise.answer, exercise.check], "answer"),
            ):
                if (path.stem, exercise.number, role) in ALLOWED:
                    continue
                kernel.fresh()
                for code in cells:
                    printed, error = kernel.run(code)
                    if error:
                        problems.append(f"Exercise {exercise.number}, {role} first: {error}")
                if not printed.startswith(NOT_ANSWERED):
                    problems.append(
                        f"Exercise {exercise.number}, {role} first printed {printed!r}"
                    )
        problems += in_order_before_each_solution(kernel, instructor)
    finally:
        kernel.close()
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def in_order_before_each_solution(kernel: Kernel, notebook) -> list[str]:
    """Run the instructor edition in order, each self-check also just before its solution."""
    kernel.fresh()
    problems, number, check = [], "", None
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    checks = iter([c for c in cells if SELF_CHECK in tags(c)])
    for cell in notebook.cells:
        heading = re.findall(r"^### Exercise (\d+\.\d+)", cell.source, flags=re.M)
        if cell.cell_type == "markdown" and heading:
            number = heading[-1]
        if cell.cell_type != "code":
            continue
        if SOLUTION in tags(cell):
            check = next(checks)
            printed, error = kernel.run(check.source)
            if error or not printed.startswith(NOT_ANSWERED):
                problems.append(
                    f"Exercise {number}, its self-check before its solution (every earlier "
                    f"solution run): {error or printed!r}"
                )
        printed, error = kernel.run(cell.source)
        if error:
            problems.append(f"Exercise {number}: cell {cell.get('id')} raised {error}")
            break
        if SELF_CHECK in tags(cell) and not printed.startswith("Correct! "):
            problems.append(f"Exercise {number}: its solution is not Correct!: {printed!r}")
    return problems
