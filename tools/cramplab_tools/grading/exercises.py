"""The course's graded exercises, and the one place that knows how an answer is stored.

An exercise is a self-check cell of the instructor edition (``checks.NAME()  # reads
answer_N_M``) under an "### Exercise N.M" heading. Each exercise stores its answer in a name
of its own (the check's ``answer_names``), so the kernel sends every answer back once the
whole submission has run, and ``cramplab.checks.core.verdict`` judges it.

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
from cramplab_tools.editions import SELF_CHECK, SOLUTION, tags

HEADING = re.compile(r"^#{2,4}\s*Exercise\s+(\d+\.\d+)", flags=re.M)
ANSWER_TAGS = {SOLUTION, "answer"}
# The gradebook's words for cramplab.checks.core.verdict's kinds.
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

    The kernel sends them just BEFORE running that cell, and the last one sent counts. Every
    exercise is read at the end (index len(cells)), whatever order the student ran things in,
    and also right after each cell that assigns its answer, so that an answer given before a
    later cell loops or crashes the kernel still counts.
    """
    points: dict[int, list[list]] = {}
    for exercise in exercises:
        entry = [exercise.key, list(exercise.answer_names)]
        for index in sorted(_assigning(cells, exercise)):
            points.setdefault(index + 1, []).append(entry)
        if entry not in points.get(len(cells), []):
            points.setdefault(len(cells), []).append(entry)
    return points


def _assigning(cells: list[dict], exercise: Exercise) -> set[int]:
    """The code cells that assign one of the exercise's answer names."""
    assigns = re.compile(
        rf"^({'|'.join(map(re.escape, exercise.answer_names))})\s*(:[^=]*)?=(?!=)", flags=re.M
    )
    return {i for i, cell in enumerate(cells) if assigns.search(cell["source"])}


def answer_cells(cells: list[dict], exercise: Exercise, exercises: list[Exercise]) -> set[int]:
    """The code cells whose error makes the exercise an "error" rather than a wrong or missing
    answer: every cell that assigns one of its answer names, and its own answer cell (the
    exercise's place among the cells tagged as answers, when each exercise kept one)."""
    found = _assigning(cells, exercise)
    tagged = [i for i, cell in enumerate(cells) if ANSWER_TAGS & set(cell.get("tags", ()))]
    if len(tagged) == len(exercises):
        found.add(tagged[exercises.index(exercise)])
    return found


def verdict(exercise: Exercise, values: dict[str, Any]) -> tuple[str, str]:
    """(gradebook result, the self-check's message) for the student's answer values."""
    from cramplab.checks import core

    missing = [name for name in exercise.answer_names if name not in values]
    if missing:
        return NOT_ANSWERED, core.NO_SUCH_NAME.format(name=missing[0])
    answers = [values[name] for name in exercise.answer_names]
    keywords = dict(exercise.keywords)
    kind, message = core.verdict(exercise.check, *answers, *exercise.extra_args, **keywords)
    return VERDICT.get(kind, NOT_QUITE), message
