"""A whole class on a real JupyterHub (cramplab_tools.classhub), on this machine.

JupyterHub (the locked version) starts on free localhost ports with its configurable-http-proxy,
a shared class password made up for this run (a test's login only: deploy/ never uses one) and
the local-process spawner. Eight students at once then log in through the login form, get a
token of their own from the REST API, start their servers, pull the course with nbgitpuller from
a bare copy of this clone's last commit, and run the student edition's notebook 03 in their own
kernels over the server's API. The tests check outcomes only (never how long anything took: the
machine is shared): every cell ran without an error or stderr output, each server ran in its own
home and served JupyterLab, no student could reach another's server, one student's run changed
nothing in any other home, and at the end nothing the hub started is left running.

Without configurable-http-proxy (or Node.js, or git) the file is skipped with a one-line reason;
in CI (CI=true) that is a failure: CI must run it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from repo import CLONE

from cramplab_tools.classhub import (
    NOTEBOOK,
    ClassHub,
    NotebookRun,
    Student,
    all_at_once,
    course_repository,
)
from cramplab_tools.hub import COURSE_FOLDER

# Without a hub here (tests/conftest.py checks first) every test skips with one line; in CI
# (CI=true) they fail instead.
pytestmark = pytest.mark.hub

CLASS_SIZE = 8
NAMES = [f"student{number:02d}" for number in range(1, CLASS_SIZE + 1)]
STUDENT_EDITION = "student"


def files_under(folder: Path, *, hidden: bool = True) -> dict[str, str]:
    """Every file under folder with the SHA-256 of its bytes (hidden ones too, unless told)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not hidden and any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def committed_student_edition() -> dict[str, str]:
    """The student edition as the last commit holds it: what nbgitpuller must have pulled."""
    listed = subprocess.run(
        ["git", "-C", str(CLONE.root), "ls-tree", "-r", "--name-only", "HEAD", STUDENT_EDITION],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    found = {}
    for name in listed:
        blob = subprocess.run(
            ["git", "-C", str(CLONE.root), "show", f"HEAD:{name}"], capture_output=True, check=True
        ).stdout
        found[name.removeprefix(f"{STUDENT_EDITION}/")] = hashlib.sha256(blob).hexdigest()
    return found


@dataclass
class Classroom:
    hub: ClassHub
    students: list[Student]
    runs: list[NotebookRun]
    homes_before_run: dict[str, dict[str, str]]
    servers: dict = field(default_factory=dict)  # name -> (server process, kernels) after runs


@pytest.fixture(scope="module")
def classroom():
    # Not pytest's tmp_path: /tmp/pytest-of-USER is shared by every pytest run of the user,
    # and a concurrent run may delete it.
    workdir = Path(tempfile.mkdtemp(prefix="cramplab-hub-"))
    hub = ClassHub(workdir / "hub", course_repository(CLONE.root, workdir / "course.git"))
    ended, leftovers = [], []
    try:
        with hub:
            students = [hub.student(name) for name in NAMES]
            all_at_once(hub.login, students)
            all_at_once(hub.start_server, students)
            all_at_once(hub.pull_course, students)
            # Each student's own file, written through their own server before anyone runs.
            all_at_once(write_own_file, [(hub, student) for student in students])
            before = {s.name: files_under(s.home, hidden=False) for s in students}
            runs = all_at_once(hub.run_notebook, students)
            yield Classroom(hub, students, runs, before, hub.processes())
            hub.remember()
            ended = hub.stop()
            leftovers = hub.leftovers()
    except Exception:
        if hub.log_path.exists():
            print(f"--- the end of {hub.log_path.name} ---\n{hub.log_tail()}")
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert not ended, f"outlived the hub's own shutdown and had to be ended: {ended}"
    assert not leftovers, f"still running after the hub stopped: {leftovers}"


def own_file_text(student: Student) -> str:
    return f"{student.name}'s notes: only {student.name} writes here.\n"


def write_own_file(hub_and_student: tuple[ClassHub, Student]) -> None:
    hub, student = hub_and_student
    answer = hub.api(
        student,
        "PUT",
        f"/user/{student.name}/api/contents/notes.txt",
        json={"type": "file", "format": "text", "content": own_file_text(student)},
    )
    assert answer.status_code in (200, 201), f"{student.name}: saving notes.txt: {answer.text}"


def test_every_student_logs_in_with_a_token_of_their_own_and_gets_jupyterlab(classroom):
    tokens = {student.token for student in classroom.students}
    assert len(tokens) == CLASS_SIZE and "" not in tokens
    for student in classroom.students:
        page = classroom.hub.api(student, "GET", f"/user/{student.name}/lab")
        assert page.status_code == 200, f"{student.name}: /lab answered {page.status_code}"
        assert '"appName": "JupyterLab"' in page.text, f"{student.name}: not JupyterLab"


def test_nbgitpuller_puts_the_committed_student_edition_in_each_home(classroom):
    expected = committed_student_edition()
    assert "03_food_sources.ipynb" in expected
    for student in classroom.students:
        pulled = files_under(student.home / COURSE_FOLDER / STUDENT_EDITION)
        assert pulled == expected, f"{student.name}'s student edition differs from the commit"


def test_notebook_03_runs_without_an_error_in_every_students_kernel(classroom):
    notebook = nbformat.read(CLONE.student / "03_food_sources.ipynb", as_version=4)
    code_cells = sum(1 for cell in notebook.cells if cell.cell_type == "code")
    assert [run.student for run in classroom.runs] == NAMES
    for run in classroom.runs:
        assert run.problems == [], f"{run.student} ran {NOTEBOOK}: {run.problems}"
        assert run.cells == code_cells, f"{run.student} ran {run.cells} of {code_cells} cells"


def test_each_server_and_kernel_runs_in_the_students_own_home(classroom):
    assert sorted(classroom.servers) == NAMES
    for student in classroom.students:
        server, kernels = classroom.servers[student.name]
        assert Path(server.cwd()) == student.home
        assert server.environ()["HOME"] == str(student.home)
        assert len(kernels) == 1, f"{student.name} has kernels {kernels}"
        notebook_folder = student.home / Path(NOTEBOOK).parent
        assert Path(kernels[0].cwd()) == notebook_folder


def test_a_student_cannot_reach_another_students_server(classroom):
    hub, students = classroom.hub, classroom.students
    for student, other in zip(students, students[1:] + students[:1], strict=True):
        answer = hub.api(student, "GET", f"/user/{other.name}/api/contents/notes.txt")
        assert answer.status_code == 403, (
            f"{student.name} read {other.name}'s notes.txt: {answer.status_code}"
        )
        # The hub does not even say whether the other user exists (404).
        answer = hub.api(student, "DELETE", f"/hub/api/users/{other.name}/server")
        assert answer.status_code in (403, 404), (
            f"{student.name} could stop {other.name}'s server: {answer.status_code}"
        )
    for student in students:  # every server still up, as its owner sees it
        model = hub.api(student, "GET", f"/hub/api/users/{student.name}").json()
        assert model["servers"][""]["ready"], f"{student.name}'s server is no longer ready"


def test_the_class_run_changed_no_students_files(classroom):
    for student in classroom.students:
        now = files_under(student.home, hidden=False)
        assert now == classroom.homes_before_run[student.name], f"{student.name}'s files changed"
        assert (student.home / "notes.txt").read_text() == own_file_text(student)


def test_one_students_run_leaves_every_other_home_as_it_was(classroom):
    hub, runner, others = classroom.hub, classroom.students[0], classroom.students[1:]
    before = {other.name: files_under(other.home) for other in others}  # hidden files too
    run = hub.run_notebook(runner)
    assert run.problems == []
    for other in others:
        assert files_under(other.home) == before[other.name], (
            f"{runner.name}'s run changed files in {other.name}'s home"
        )
