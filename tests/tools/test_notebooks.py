"""Course notebooks: stored outputs leak nothing about the machine; the executor works."""

import getpass
import json
import os
import re
import signal
import subprocess
import sys

import pytest
from repo import CLONE

from cramplab_tools.notebooks import course_notebooks, stop_kernels_of

NOTEBOOKS = course_notebooks(CLONE.notebooks)
# Both editions: the instructor edition (notebooks/) and the student edition (student/).
BOTH_EDITIONS = NOTEBOOKS + course_notebooks(CLONE.student)
LEAKS = {
    "home directory": re.compile(r"/root\b|/home/|/Users/|C:\\\\Users"),
    "temporary path": re.compile(r"/tmp/|/var/folders/"),
    "timestamp": re.compile(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d"),
}
USER = getpass.getuser()


def stored_text(path) -> list[str]:
    """Everything a notebook stores besides its source: outputs and metadata."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    texts = [json.dumps(notebook.get("metadata", {}))]
    for cell in notebook["cells"]:
        texts.append(json.dumps(cell.get("metadata", {})))
        for output in cell.get("outputs", []):
            kept = {k: v for k, v in output.items() if k != "data"}
            data = {k: v for k, v in output.get("data", {}).items() if not k.startswith("image/")}
            texts.append(json.dumps([kept, data]))
    return texts


def edition_id(path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_the_course_has_numbered_notebooks():
    assert NOTEBOOKS, f"no numbered notebooks in {CLONE.notebooks}"
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", BOTH_EDITIONS, ids=edition_id)
def test_stored_outputs_do_not_leak_the_machine(path):
    for text in stored_text(path):
        for what, pattern in LEAKS.items():
            match = pattern.search(text)
            assert not match, f"{path.name} stores a {what}: {match.group(0)!r}"
        if len(USER) > 3:  # short names such as 'root' or 'dev' match ordinary words
            assert USER not in text, f"{path.name} stores the user name {USER!r}"


@pytest.mark.parametrize("path", BOTH_EDITIONS, ids=edition_id)
def test_every_code_cell_has_been_executed(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code" and c["source"]]
    unrun = [c["id"] for c in code if c["execution_count"] is None]
    assert not unrun, f"{path.name}: cells {unrun} have no stored outputs; run `make notebooks`"


def cells_of(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def tags_of(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_structure(path):
    """Questions and objectives first, key points and sources last, a health note on top."""
    markdown = ["".join(c["source"]) for c in cells_of(path) if c["cell_type"] == "markdown"]
    opening, text = markdown[0], "\n".join(markdown)
    assert opening.startswith(f"# {path.name[:2]} · "), "the title names the notebook number"
    assert "**Health note:**" in opening and "not medical advice" in opening
    for heading in (
        "## Overview",
        "**Questions**",
        "**Learning objectives**",
        "**Prerequisites:**",
    ):
        assert heading in text, f"{path.name} has no {heading}"
    assert text.index("## Key points") > text.index("**Learning objectives**")
    assert "## Sources" in markdown[-1] or "## Sources" in markdown[-2]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_have_a_hidden_solution_then_a_self_check(path):
    cells = cells_of(path)
    checks = [i for i, c in enumerate(cells) if "self-check" in tags_of(c)]
    assert len(checks) >= 2, (
        f"{path.name} has {len(checks)} exercises; the course wants two or more"
    )
    for i in checks:
        solution = cells[i - 1]
        assert "solution" in tags_of(solution), (
            f"{path.name}: a self-check without a solution above"
        )
        assert solution["metadata"].get("jupyter", {}).get("source_hidden"), (
            "solutions start collapsed"
        )
        assert "checks." in "".join(cells[i]["source"])
        assert cells[i]["outputs"] and "Correct!" in "".join(
            cells[i]["outputs"][0].get("text", "")
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_instructor_notes_travel_with_the_notebook(path):
    notes = [c for c in cells_of(path) if "instructor" in tags_of(c)]
    assert notes and all(c["cell_type"] == "markdown" for c in notes)
    assert "Timing" in "".join(notes[0]["source"])


@pytest.mark.parametrize("path", BOTH_EDITIONS, ids=edition_id)
def test_no_output_is_exempt_from_nbval(path):
    sources = "".join("".join(c["source"]) for c in cells_of(path))
    assert "NBVAL_IGNORE_OUTPUT" not in sources and "NBVAL_SKIP" not in sources


@pytest.mark.parametrize("path", BOTH_EDITIONS, ids=edition_id)
def test_no_warning_or_error_is_stored(path):
    """A warning in a stored output is a defect to fix at its source, not noise to keep."""
    for cell in cells_of(path):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name} stores an error"
            assert output.get("name") != "stderr", f"{path.name} stores: {output.get('text')!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_three_exercises_or_more_with_an_explore_prompt(path):
    """Each '### Exercise' prompt is followed by its cells: a solution and a self-check, or,
    for an open-ended '— explore: ...' prompt, a cell tagged explore for students to change."""
    cells = cells_of(path)
    prompts = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown" and "### Exercise" in "".join(c["source"])
    ]
    assert len(prompts) >= 3, f"{path.name} has {len(prompts)} exercises; the course wants three"
    explore = 0
    for i in prompts:
        heading = "".join(cells[i]["source"]).split("### Exercise", 1)[1].splitlines()[0]
        following = tags_of(cells[i + 1]) if i + 1 < len(cells) else []
        if "explore" in heading.lower():
            explore += 1
            assert "explore" in following, f"{path.name}: {heading!r} needs a cell to explore"
        else:
            assert "solution" in following, f"{path.name}: {heading!r} needs a solution"
            assert "self-check" in tags_of(cells[i + 2]), f"{path.name}: {heading!r}"
    assert explore >= 1, f"{path.name} has no open-ended explore exercise"


@pytest.mark.skipif(os.name != "posix", reason="POSIX process groups")
def test_the_kernels_of_an_abandoned_folder_are_stopped_and_no_other(tmp_path):
    """A kernel killed while it started never notices its parent is gone: the next run stops
    it with its folder (here stand-ins: processes started with a kernel's -f argument)."""
    abandoned, other = tmp_path / "cramplab-ipc-abandoned", tmp_path / "cramplab-ipc-live"
    waiting = "import time; time.sleep(120)"
    stand_ins = {
        folder: subprocess.Popen(
            [sys.executable, "-c", waiting, "-f", str(folder / "kernel.json")],
            start_new_session=True,
        )
        for folder in (abandoned, other)
    }
    try:
        assert stop_kernels_of([abandoned]) == [stand_ins[abandoned].pid]
        assert stand_ins[abandoned].wait(timeout=60) == -signal.SIGKILL
        assert stand_ins[other].poll() is None  # not in an abandoned folder: left alone
    finally:
        for process in stand_ins.values():
            process.kill()
            process.wait()
