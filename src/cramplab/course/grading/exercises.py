"""The course's graded exercises, and the one place that knows how an answer is stored.

An exercise is a self-check cell of the instructor edition (``checks.NAME(answer, ...)``)
under an "### Exercise N.M" heading. Today every exercise stores its answer in the same
variable, ``answer``, so the kernel captures ``answer`` just before the submission's own
self-check cell for that exercise runs (or after its N-th answer cell if the student deleted
the self-check). When each exercise gets its own ``answer_N_M`` and the check functions carry
``exercise_number`` and ``answer_names`` (with ``cramplab.checks.core.verdict``), only this
module changes: capture points become "the end of the notebook".

``verdict`` runs in the grader's own process on values decoded from data (answers.py):
nothing the student's kernel did can change what the check decides.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from cramplab import checks
from cramplab.course.editions import SELF_CHECK, SOLUTION, tags

HEADING = re.compile(r"^#{2,4}\s*Exercise\s+(\d+\.\d+)", flags=re.M)
ANSWER_TAGS = {SOLUTION, "answer"}
# The gradebook's words for a check's outcome kinds (cramplab.checks.core).
RESULT = {
    "right": "correct",
    "wrong": "not quite",
    "invalid": "not quite",
    "broken": "not quite",
    "unanswered": "not answered",
}
CORRECT, NOT_QUITE, NOT_ANSWERED, ERROR, TIMED_OUT = (
    "correct",
    "not quite",
    "not answered",
    "error",
    "timed out",
)
RESULTS = (CORRECT, NOT_QUITE, NOT_ANSWERED, ERROR, TIMED_OUT)


@dataclass(frozen=True)
class Exercise:
    notebook: str  # the course notebook's stem, e.g. "01_the_data"
    number: str  # "1.1"
    check_name: str  # the function in cramplab.checks
    extra_args: tuple  # literal arguments after the answer in the self-check cell
    answer_names: tuple[str, ...]  # the variables the kernel must send back

    @property
    def key(self) -> str:
        return self.number

    @property
    def check(self):
        return getattr(checks, self.check_name)


def _self_check_call(source: str) -> tuple[str, tuple] | None:
    """(check name, literal extra args) of a `checks.NAME(answer, ...)` cell, else None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "checks"
        ):
            try:
                extra = tuple(ast.literal_eval(arg) for arg in node.args[1:])
            except ValueError:
                extra = ()
            return node.func.attr, extra
    return None


def notebook_exercises(path: Path) -> list[Exercise]:
    """The graded exercises of one course notebook, in order."""
    notebook = nbformat.read(path, as_version=4)
    found, number = [], None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = HEADING.search(cell.source)
            number = match.group(1) if match else number
        elif SELF_CHECK in tags(cell):
            call = _self_check_call(cell.source)
            if call and number and hasattr(checks, call[0]):
                name, extra = call
                check = getattr(checks, name)
                names = tuple(
                    getattr(check, "answer_names", (getattr(check, "answer_name", "answer"),))
                )
                found.append(Exercise(path.stem, number, name, extra, names))
    return found


def course_exercises(notebooks: list[Path]) -> dict[str, list[Exercise]]:
    """Each course notebook's stem -> its graded exercises."""
    return {path.stem: notebook_exercises(path) for path in notebooks}


def capture_points(cells: list[dict], exercises: list[Exercise]) -> dict[int, list[list]]:
    """Where the kernel sends answers: code cell index -> [[exercise key, names], ...].

    The kernel sends them just BEFORE running that cell; index len(cells) means at the end.
    Today's convention (one shared `answer`): before the submission's own self-check cell of
    each exercise, else after its N-th answer cell, else at the end (then it is whatever
    `answer` holds last, which a check rarely accepts).
    """
    points: dict[int, list[list]] = {}
    answer_cells = [i for i, cell in enumerate(cells) if ANSWER_TAGS & set(cell.get("tags", ()))]
    for position, exercise in enumerate(exercises):
        where = None
        for i, cell in enumerate(cells):
            call = _self_check_call(cell["source"])
            if call and call[0] == exercise.check_name:
                where = i
                break
        if where is None and len(answer_cells) == len(exercises):
            where = answer_cells[position] + 1
        if where is None:
            where = len(cells)
        points.setdefault(where, []).append([exercise.key, list(exercise.answer_names)])
    return points


def verdict(exercise: Exercise, values: dict[str, Any]) -> tuple[str, str]:
    """(gradebook result, the self-check's message) for the student's answer values."""
    from cramplab.checks.core import NO_SUCH_NAME

    if exercise.answer_names[0] not in values:
        return NOT_ANSWERED, NO_SUCH_NAME.format(name=exercise.answer_names[0])
    answers = [values.get(name) for name in exercise.answer_names]
    outcome = exercise.check.outcome(*answers, *exercise.extra_args)
    return RESULT.get(outcome.kind, NOT_QUITE), outcome.message
