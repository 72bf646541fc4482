"""The course's graded exercises, and the one place that knows how an answer is stored.

An exercise is a self-check cell of the instructor edition (``checks.NAME(answer, ...)``)
under an "### Exercise N.M" heading. Today every exercise stores its answer in the same
variable, ``answer``, so the kernel captures ``answer`` just before the submission's own
self-check cell for that exercise runs (or after its N-th answer cell if the student deleted
the self-check). When each exercise has its own ``answer_N_M`` and the check functions carry
``exercise_number`` and ``answer_names`` (with ``cramplab.checks.core.verdict``), this module
reads them instead: those answers are captured at the end of the notebook, numbered by the
check, and judged by ``verdict``. Nothing else in the grader knows either convention.

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
# ... and for cramplab.checks.core.verdict's kinds (after h24a).
VERDICT = {
    "correct": "correct",
    "not_quite": "not quite",
    "wrong_type": "not quite",
    "not_answered": "not answered",
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
    keywords: tuple = ()  # literal keyword arguments of the self-check cell: (name, value)

    @property
    def key(self) -> str:
        return self.number

    @property
    def check(self):
        return getattr(checks, self.check_name)


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _self_check_call(source: str) -> tuple[str, tuple, tuple] | None:
    """(check name, literal extra args, literal keyword args) of the cell's `checks.NAME(...)`
    call, else None. A first argument naming an answer variable (`answer`, `answer_3_1`) is the
    answer itself, not an extra argument."""
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
            args = list(node.args)
            if args and isinstance(args[0], ast.Name) and args[0].id.startswith("answer"):
                args = args[1:]
            extra = tuple(_literal(arg) for arg in args)
            keywords = tuple((k.arg, _literal(k.value)) for k in node.keywords if k.arg)
            return node.func.attr, extra, keywords
    return None


def _own_names(check) -> bool:
    """True when the check's answers have names of their own (answer_3_1: after h24a)."""
    return any(name != "answer" for name in getattr(check, "answer_names", ("answer",)))


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
            if call and hasattr(checks, call[0]):
                name, extra, keywords = call
                check = getattr(checks, name)
                names = tuple(
                    getattr(check, "answer_names", (getattr(check, "answer_name", "answer"),))
                )
                own_number = getattr(check, "exercise_number", "") or number
                if own_number:
                    found.append(Exercise(path.stem, own_number, name, extra, names, keywords))
    return found


def course_exercises(notebooks: list[Path]) -> dict[str, list[Exercise]]:
    """Each course notebook's stem -> its graded exercises."""
    return {path.stem: notebook_exercises(path) for path in notebooks}


def capture_points(cells: list[dict], exercises: list[Exercise]) -> dict[int, list[list]]:
    """Where the kernel sends answers: code cell index -> [[exercise key, names], ...].

    The kernel sends them just BEFORE running that cell; index len(cells) means at the end.
    An exercise whose answers have names of their own is read at the end. Today's convention
    (one shared `answer`): before the submission's own self-check cell of each exercise, else
    after its N-th answer cell, else at the end (then it is whatever `answer` holds last,
    which a check rarely accepts).
    """
    points: dict[int, list[list]] = {}
    answer_cells = [i for i, cell in enumerate(cells) if ANSWER_TAGS & set(cell.get("tags", ()))]
    for position, exercise in enumerate(exercises):
        where = len(cells) if _own_names(exercise.check) else None
        for i, cell in enumerate(cells if where is None else ()):
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


def answer_cells(cells: list[dict], exercise: Exercise, read_at: int, since: int) -> set[int]:
    """The code cells whose error makes the exercise an "error" rather than a wrong answer:
    the cell that last assigned its answer before it was read and, when it was read before
    a self-check cell (one shared `answer`), every cell since the previous exercise was read."""
    assigns = re.compile(
        rf"^({'|'.join(map(re.escape, exercise.answer_names))})\s*(:[^=]*)?=(?!=)", flags=re.M
    )
    found = set()
    if read_at < len(cells):  # not the self-check cells in between: only the student's work
        found = {i for i in range(since, read_at) if _self_check_call(cells[i]["source"]) is None}
    for index in range(min(read_at, len(cells)) - 1, -1, -1):
        if assigns.search(cells[index]["source"]):
            found.add(index)
            break
    return found


def verdict(exercise: Exercise, values: dict[str, Any]) -> tuple[str, str]:
    """(gradebook result, the self-check's message) for the student's answer values."""
    from cramplab.checks import core

    missing = [name for name in exercise.answer_names if name not in values]
    if missing:
        return NOT_ANSWERED, core.NO_SUCH_NAME.format(name=missing[0])
    answers = [values[name] for name in exercise.answer_names]
    keywords = dict(exercise.keywords)
    if hasattr(core, "verdict"):  # after h24a: the checks' own non-printing verdict
        kind, message = core.verdict(exercise.check, *answers, *exercise.extra_args, **keywords)
        return VERDICT.get(kind, NOT_QUITE), message
    outcome = exercise.check.outcome(*answers, *exercise.extra_args, **keywords)
    return RESULT.get(outcome.kind, NOT_QUITE), outcome.message
