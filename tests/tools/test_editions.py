"""The two editions: student/ is generated from notebooks/, is current, and gives nothing away.

nbval (strict) runs both editions and compares their stored outputs; these tests check what
nbval cannot: that student/ is what `make student` would write now, that no solution's code or
output reached it, and that Run All reaches the end of every student notebook.
"""

import ast
import builtins
import json
import subprocess
import sys

import nbformat
import pytest
from repo import CLONE

from cramplab_tools.editions import (
    ANSWER,
    ANSWER_NAME,
    EXPLORE,
    INSTRUCTOR,
    SELF_CHECK,
    SOLUTION,
    placeholder,
    student_notebook,
)
from cramplab_tools.notebooks import course_notebooks

INSTRUCTOR_EDITION = course_notebooks(CLONE.notebooks)
STUDENT_EDITION = course_notebooks(CLONE.student)
PAIRS = list(zip(INSTRUCTOR_EDITION, STUDENT_EDITION, strict=False))
MAKE_STUDENT = "run `make student` and commit student/"


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def source(cell) -> str:
    return "".join(cell["source"])


def output_texts(cell) -> list[str]:
    """Every text an output shows (stream text, text/plain, text/html, images as base64)."""
    texts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append("".join(output["text"]))
        for value in output.get("data", {}).values():
            texts.append(value if isinstance(value, str) else "".join(value))
    return texts


@pytest.mark.parametrize("path", STUDENT_EDITION, ids=lambda p: p.name)
def test_no_tooling_comment_reaches_the_student_edition(path):
    """A student editing a cell meets no <!--fact:...--> or <!--not-data--> marker."""
    for index, cell in enumerate(cells(path)):
        if cell["cell_type"] == "markdown":
            assert "<!--" not in source(cell), f"{path.name}, cell {index}"


def test_student_notebook_drops_html_comments_from_markdown_only():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## Three<!--not-data--> yardsticks: 8<!--fact:x-->"),
            nbformat.v4.new_code_cell('html = "<!--kept-->"'),
        ]
    )
    student = student_notebook(notebook)
    assert student.cells[0].source == "## Three yardsticks: 8"
    assert student.cells[1].source == 'html = "<!--kept-->"'


def test_placeholder_names_the_answer_variables():
    solution = "wide = data.pivot()\nanswer = wide.sum()\nanswer_b = 2"
    lines = placeholder(solution).splitlines()
    assert lines[0] == "# Started here? Run the cells above first."
    assert lines[2:] == ["answer = ...", "answer_b = ..."]


def test_every_notebook_has_a_student_edition():
    assert [p.name for p in STUDENT_EDITION] == [p.name for p in INSTRUCTOR_EDITION], MAKE_STUDENT


@pytest.mark.parametrize(("source_path", "student_path"), PAIRS, ids=lambda p: p.stem)
def test_the_student_edition_is_current(source_path, student_path):
    """Cell by cell (type, id, source, tags and other metadata); outputs are nbval's job."""
    expected = student_notebook(nbformat.read(source_path, as_version=4))
    committed = nbformat.read(student_path, as_version=4)

    def shape(notebook):
        return [(c.cell_type, c.get("id"), c.source, c.metadata) for c in notebook.cells]

    assert shape(committed) == shape(expected), f"{student_path.name}: {MAKE_STUDENT}"
    for key in ("cramplab", "kernelspec"):
        assert committed.metadata.get(key) == expected.metadata.get(key), MAKE_STUDENT


@pytest.mark.parametrize(("source_path", "student_path"), PAIRS, ids=lambda p: p.stem)
def test_no_solution_code_or_instructor_note_survives(source_path, student_path):
    original, handed_out = cells(source_path), cells(student_path)
    everything = "\n".join(source(c) for c in handed_out)
    code_lines = {
        line.strip()
        for c in handed_out
        for line in source(c).splitlines()
        if c["cell_type"] == "code"
    }
    for cell in original:
        if tagged(cell, SOLUTION):
            # every line of working code in a solution is gone from what students get
            for line in source(cell).splitlines():
                code = line.strip()
                if any(ch.isalnum() for ch in code) and not code.startswith("#"):
                    assert code not in code_lines, f"{student_path.name} keeps {line!r}"
                    if len(code) > 15:
                        assert code not in everything, f"{student_path.name} shows {line!r}"
        if tagged(cell, INSTRUCTOR):
            assert source(cell) not in everything
    for cell in handed_out:
        assert not tagged(cell, SOLUTION) and not tagged(cell, INSTRUCTOR)
        if tagged(cell, ANSWER):
            assert all(
                line.startswith("#") or line.endswith(" = ...")
                for line in source(cell).splitlines()
            ), f"{student_path.name}: an answer cell holds more than placeholders"
    answers = sum(tagged(c, ANSWER) for c in handed_out)
    assert answers == sum(tagged(c, SOLUTION) for c in original) >= 2
    checks = sum(tagged(c, SELF_CHECK) for c in handed_out)
    assert checks == sum(tagged(c, SELF_CHECK) for c in original) >= 2
    explore = sum(tagged(c, EXPLORE) for c in handed_out)
    assert explore == sum(tagged(c, EXPLORE) for c in original)


@pytest.mark.parametrize(("source_path", "student_path"), PAIRS, ids=lambda p: p.stem)
def test_no_solution_output_survives(source_path, student_path):
    original, handed_out = cells(source_path), cells(student_path)
    shown = "\n".join(text for c in handed_out for text in output_texts(c))
    assert "Correct!" not in shown, f"{student_path.name} shows a solved self-check"
    for cell in original:
        if tagged(cell, SOLUTION) or tagged(cell, SELF_CHECK):
            for text in output_texts(cell):
                if len(text.strip()) >= 12:
                    assert text not in shown, f"{student_path.name} shows {text[:60]!r}"
    for cell in handed_out:
        if tagged(cell, ANSWER):
            assert cell["outputs"] == [], f"{student_path.name}: a placeholder has an output"
        if tagged(cell, SELF_CHECK):
            lines = "".join(output_texts(cell)).splitlines()
            assert lines and all(line.startswith("Not answered yet: ") for line in lines), (
                f"{student_path.name}: a self-check shows {lines}"
            )


@pytest.mark.parametrize("path", STUDENT_EDITION, ids=lambda p: p.stem)
def test_run_all_on_a_fresh_student_notebook_reached_the_end(path):
    """The stored outputs are one Run All from a fresh kernel: every cell ran, in order,
    and none failed (nbval re-runs it and compares)."""
    code = [c for c in cells(path) if c["cell_type"] == "code" and source(c).strip()]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), MAKE_STUDENT
    for cell in code:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"{path.name} stops at {source(cell)!r}"


def names(code: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, names it reads), over the whole cell."""
    tree = ast.parse(code)
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store | ast.Del) else read).add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, read


def needs_a_solution(notebook_cells) -> list[str]:
    """What breaks in the student edition, where a solution is a placeholder: a later cell
    reading a name only a solution defines, or a cell other than a self-check reading the
    answer (it holds ... there)."""
    problems, defined, only_in_solutions = [], set(dir(builtins)), set()
    for cell in notebook_cells:
        if cell["cell_type"] != "code":
            continue
        bound, read = names(source(cell))
        if tagged(cell, SOLUTION):
            defined |= set(ANSWER_NAME.findall(source(cell)))  # the placeholder sets these
            only_in_solutions |= bound - defined
            continue
        if not tagged(cell, SELF_CHECK):
            answers = sorted(name for name in read if name.startswith("answer"))
            problems += [f"{source(cell)[:40]!r} reads {name}" for name in answers]
        needed = sorted((read & only_in_solutions) - defined - bound)
        problems += [
            f"{source(cell)[:40]!r} reads {name}, set only by a solution" for name in needed
        ]
        defined |= bound
    return problems


@pytest.mark.parametrize("path", INSTRUCTOR_EDITION, ids=lambda p: p.stem)
def test_no_later_cell_needs_what_only_a_solution_computes(path):
    assert needs_a_solution(cells(path)) == [], path.name


def test_a_cell_that_needs_a_solution_is_found():
    def cell(text, *cell_tags):
        return {"cell_type": "code", "source": text, "metadata": {"tags": list(cell_tags)}}

    notebook = [
        cell("import pandas as pd\nwide = pd.DataFrame()"),
        cell("c26 = wide.loc['C26']\nanswer = c26.sum()", SOLUTION),
        cell("checks.verdict_on_c26(answer)", SELF_CHECK),
        cell(reads_c26 := "c26.plot()\nlen(wide)"),
        cell("answer.items"),
        cell("[x for x in wide]\nprint(sorted(wide))"),
    ]
    assert needs_a_solution(notebook) == [
        f"{reads_c26!r} reads c26, set only by a solution",
        "'answer.items' reads answer",
    ]


TINY = {
    "00_tiny.ipynb": [
        ("markdown", "# 00 · Tiny", []),
        ("markdown", "**Instructor notes**", [INSTRUCTOR]),
        ("code", "total = 40 + 1\ntotal", []),
        ("code", "answer_0_1 = total * 2\nanswer_0_1", [SOLUTION]),
        ("code", "from cramplab import checks\n\nchecks.claims_naming_magnesium()", [SELF_CHECK]),
        ("code", "print('the end')", []),
    ],
}


def write_course(folder, notebooks):
    folder.mkdir()
    for name, spec in notebooks.items():
        notebook = nbformat.v4.new_notebook()
        for kind, text, cell_tags in spec:
            make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
            notebook.cells.append(make(text, metadata={"tags": cell_tags} if cell_tags else {}))
        nbformat.write(notebook, folder / name)


def generate(source, target) -> subprocess.CompletedProcess:
    """write_student_edition in a child process (kernels leave sockets for the GC to close)."""
    code = (
        "import sys; from pathlib import Path\n"
        "from cramplab_tools.editions import write_student_edition\n"
        "from cramplab_tools.notebooks import NotebookFailed\n"
        "try:\n"
        "    write_student_edition(Path(sys.argv[2]), Path(sys.argv[1]))\n"
        "except NotebookFailed as error:\n"
        "    sys.exit(f'NotebookFailed: {error}')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(source), str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_generator_stores_a_fresh_unanswered_run(tmp_path):
    write_course(tmp_path / "notebooks", TINY)
    run = generate(tmp_path / "notebooks", tmp_path / "student")
    assert run.returncode == 0, run.stderr
    notebook = nbformat.read(tmp_path / "student" / "00_tiny.ipynb", as_version=4)
    assert [c.source.splitlines()[0] for c in notebook.cells][1:] == [
        "total = 40 + 1",
        "# Started here? Run the cells above first.",
        "from cramplab import checks",
        "print('the end')",
    ]
    outputs = [
        [o.get("text") or o["data"]["text/plain"] for o in c.get("outputs", [])]
        for c in notebook.cells
    ]
    assert outputs[1:] == [
        ["41"],
        [],
        ["Not answered yet: replace the ... in `answer_0_1 = ...` above with your code, "
         "run that cell, then this one.\n"],
        ["the end\n"],
    ]  # fmt: skip


def test_a_notebook_that_needs_a_solution_stops_the_run_and_leaves_student_alone(tmp_path):
    spec = [(kind, text, t) for kind, text, t in TINY["00_tiny.ipynb"] if kind == "code"]
    spec.insert(2, ("code", "answer_0_1 + 1", []))  # a lesson cell reading the answer
    write_course(tmp_path / "notebooks", {"00_tiny.ipynb": spec})
    target = tmp_path / "student"
    target.mkdir()
    (target / "keep.txt").write_text("untouched", encoding="utf-8")
    run = generate(tmp_path / "notebooks", target)
    assert "NotebookFailed: 00_tiny.ipynb (student edition), cell 3 of" in run.stderr
    assert (target / "keep.txt").read_text(encoding="utf-8") == "untouched"
