"""The student edition: same notebooks, no solutions, no instructor notes."""

import json

import pytest
from repo import CLONE

from cramplab.course.editions import (
    INSTRUCTOR,
    SELF_CHECK,
    SOLUTION,
    placeholder,
    write_student_edition,
)
from cramplab.course.notebooks import course_notebooks


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    return write_student_edition(tmp_path_factory.mktemp("student"), CLONE.notebooks)


def test_placeholder_names_the_answer_variables():
    solution = "wide = data.pivot()\nanswer = wide.sum()\nanswer_b = 2"
    assert placeholder(solution).splitlines()[1:] == ["answer = ...", "answer_b = ..."]


def test_every_notebook_has_a_student_edition(student):
    assert [p.name for p in student] == [p.name for p in course_notebooks(CLONE.notebooks)]


@pytest.mark.parametrize("index", range(len(course_notebooks(CLONE.notebooks))))
def test_no_solution_or_instructor_note_survives(student, index):
    source, edition = course_notebooks(CLONE.notebooks)[index], student[index]
    original, handed_out = cells(source), cells(edition)
    text = "\n".join("".join(c["source"]) for c in handed_out)
    code_lines = {
        line.strip()
        for c in handed_out
        if c["cell_type"] == "code"
        for line in "".join(c["source"]).splitlines()
    }
    for cell in original:
        if tagged(cell, SOLUTION):
            # every line of working code in a solution is gone from the code students get
            for line in "".join(cell["source"]).splitlines():
                if any(ch.isalnum() for ch in line) and not line.lstrip().startswith("#"):
                    assert line.strip() not in code_lines, f"{edition.name} keeps {line!r}"
        if tagged(cell, INSTRUCTOR):
            assert "".join(cell["source"]) not in text
    assert not any(tagged(c, INSTRUCTOR) for c in handed_out)
    for cell in handed_out:
        if tagged(cell, SOLUTION) or tagged(cell, SELF_CHECK):
            assert cell["outputs"] == [] and cell["execution_count"] is None
        if tagged(cell, SOLUTION):
            assert "..." in "".join(cell["source"])
    checks = sum(tagged(c, SELF_CHECK) for c in handed_out)
    assert checks == sum(tagged(c, SELF_CHECK) for c in original) >= 2
