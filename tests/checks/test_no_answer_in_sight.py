"""No answer in sight before the attempt.

Each exercise's expected value is taken from the instructor edition (the stored output of its
solution cell, which ends with the answer's name); the student edition must not state or print
it anywhere a student reads before the self-check: no markdown cell and no output above it.

What "states it" means by the kind of answer:

* a number: the value as the course prints it, to 0, 1 or 2 decimals, as a whole word
  ("131", "131.3", "131.28"), on the exercise's screen: the cell just before its heading,
  the exercise up to its check, and the cell right after the check (a count like 7 elsewhere
  in a notebook is another number);
* a food_id, nutrient_id or other label: the label as a whole word on that screen;
* a list: the list printed (as Python prints it, or joined by commas) anywhere above;
* a dict: printed as Python prints it anywhere above.

ALLOWED lists, with the reason, an exercise whose answer must be in sight.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
from repo import CLONE

from cramplab_tools.editions import SELF_CHECK, SOLUTION, tags
from cramplab_tools.notebooks import course_notebooks

PATHS = course_notebooks(CLONE.notebooks)
# (notebook stem, exercise): why the answer's label must be in sight above the check.
ALLOWED: dict[tuple[str, str], str] = {}


def output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append(output["text"])
        elif "text/plain" in output.get("data", {}):
            parts.append(output["data"]["text/plain"])
    return "".join(parts)


def readable(cell) -> str:
    """What a student reads of a cell: the markdown, or a code cell's outputs."""
    return cell.source if cell.cell_type == "markdown" else output_text(cell)


def expected_answers(notebook) -> dict[str, object]:
    """Exercise number -> the value its solution's stored output shows."""
    found, number = {}, ""
    for cell in notebook.cells:
        heading = re.findall(r"^### Exercise (\d+\.\d+)", cell.source, flags=re.M)
        if cell.cell_type == "markdown" and heading:
            number = heading[-1]
        if SOLUTION in tags(cell):
            text = re.sub(r"np\.(?:float|int)\d+\((.*?)\)", r"\1", output_text(cell).strip())
            try:
                found[number] = ast.literal_eval(text)
            except (SyntaxError, ValueError):  # an object (a Menu): nothing to look for
                found[number] = None
    return found


def in_sight(notebook) -> dict[str, tuple[str, str]]:
    """Exercise number -> (everything readable above its check, what is on the screen around
    it: the cell just before the exercise's heading, the exercise up to its check, and the
    cell right after the check, which a student reads with the check's line)."""
    cells = notebook.cells
    found, number, start = {}, "", 0
    for i, cell in enumerate(cells):
        heading = re.findall(r"^### Exercise (\d+\.\d+)", cell.source, flags=re.M)
        if cell.cell_type == "markdown" and heading:
            number, start = heading[-1], i
        if SELF_CHECK in tags(cell):
            above = "\n".join(readable(c) for c in cells[:i])
            around = [readable(c) for c in cells[max(0, start - 1) : i + 2] if c is not cell]
            found[number] = (above, "\n".join(around))
    return found


def word(text: str) -> re.Pattern:
    return re.compile(rf"(?<![\w.']){re.escape(text)}(?![\w]|\.\d)")


def leaks(expected, above: str, around: str) -> list[str]:
    """The forms of expected found in sight."""
    if expected is None or isinstance(expected, bool):
        return []
    if isinstance(expected, int | float):
        forms = {f"{expected:,.{d}f}" for d in range(3)} | {f"{expected:.{d}f}" for d in range(3)}
        return sorted(form for form in forms if word(form).search(around))
    if isinstance(expected, str):
        return [expected] if word(expected).search(around) else []
    if isinstance(expected, list):
        forms = [repr(expected), ", ".join(map(str, expected))]
        flat = re.sub(r"\s+", " ", above)
        return [form for form in forms if len(expected) > 1 and form in flat]
    if isinstance(expected, dict):
        return [repr(expected)] if repr(expected) in re.sub(r"\s+", " ", above) else []
    return []


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_answer_is_in_sight_before_its_self_check(path):
    answers = expected_answers(nbformat.read(path, as_version=4))
    student = in_sight(nbformat.read(CLONE.student / path.name, as_version=4))
    assert answers and set(answers) == set(student), f"{path.name}: exercises differ"
    problems = [
        f"Exercise {number}: {found} is in sight above its self-check"
        for number, expected in answers.items()
        if (path.stem, number) not in ALLOWED
        for found in [leaks(expected, *student[number])]
        if found
    ]
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_search_finds_an_answer_printed_above():
    assert leaks(131.2849, "", "About 131 g: more than a medium banana")
    assert leaks("cereal_fortified", "", "cereal_fortified    1000.0")
    assert leaks(["a", "b"], "['a', 'b']", "")
    assert not leaks(131.2849, "", "1310 mg, or 13.1%")
    assert not leaks("banana", "", "banana_chips")
