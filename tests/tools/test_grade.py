"""make grade: a small class of notebook 01 submissions, hostile ones included, graded once
(module fixture), then the gradebook checked row by row.

The student edition as shipped is all "not answered", the instructor edition all "correct";
wrong answers are "not quite" with the self-check's message; each hostile submission gets
its own row saying what happened, and no file outside the grader's temporary folders changes
(the clone, the submissions, a file beside them). The whole course's 30 submissions are timed
in `make bench`, not here.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from repo import CLONE

from cramplab_tools import grade
from cramplab_tools.grading import answers, gradebook
from cramplab_tools.grading.exercises import capture_points, course_exercises, verdict

pytestmark = pytest.mark.grade

NOTEBOOK = "01_the_data"
EXERCISES = ["1.1", "1.2", "1.3"]
RIGHT = {  # exercise -> a correct answer's code (as the instructor edition's solution)
    "1.1": (
        'food_groups = data.foods.set_index("food_id")["food_group"]\n'
        'fruit = food_groups.index[food_groups == "Fruits and Fruit Juices"]\n'
        'answer_1_1 = wide.loc[fruit, "calcium"].idxmax()'
    ),
    "1.2": 'answer_1_2 = float(vitamin_d_ug_to_iu(wide.loc["sardines_canned", "vitamin_d"]))',
    "1.3": 'answer_1_3 = int(wide["vitamin_d"].isna().sum())',
}


def student_edition() -> dict:
    return json.loads((CLONE.student / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))


def with_answers(codes: dict[str, str], before: str = "") -> dict:
    """The student edition with answer cells 1.1, 1.2, 1.3 replaced (others left ...);
    `before` is put in a cell at the top (after the imports)."""
    notebook = copy.deepcopy(student_edition())
    answer_cells = [
        c for c in notebook["cells"] if "answer" in c.get("metadata", {}).get("tags", [])
    ]
    for key, cell in zip(EXERCISES, answer_cells, strict=True):
        if key in codes:
            cell["source"] = codes[key]
    if before:
        first_code = next(i for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code")
        cell = {
            "cell_type": "code",
            "metadata": {},
            "source": before,
            "outputs": [],
            "execution_count": None,
        }
        notebook["cells"].insert(first_code + 1, cell)
    return notebook


def write(path: Path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def clone_state() -> tuple:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored=no"],
        cwd=CLONE.root,
        capture_output=True,
        text=True,
    ).stdout
    watched = {}
    for name in ("src", "data", "notebooks", "student"):
        watched.update(
            {
                f"{name}/{k}": v
                for k, v in fingerprint(CLONE.root / name).items()
                if "__pycache__" not in k
            }
        )
    return status, watched


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    subs = root / "submissions"
    canary = root / "canary.txt"
    write(canary, "the grader's machine: must not change\n")
    instructor = json.loads((CLONE.notebooks / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    bob_path = subs / "bob" / "my homework.ipynb"
    steal = (
        f"try:\n    stolen = open({str(bob_path)!r}).read()\n    answer_1_1 = 'banana'\n"
        "except OSError:\n    answer_1_1 = -1"
    )
    write(subs / f"alice_{NOTEBOOK}.ipynb", student_edition())  # as shipped
    write(bob_path, instructor)  # the solutions, in a folder of his own, any file name
    write(
        subs / "carl.ipynb",
        with_answers(
            {
                "1.1": 'answer_1_1 = wide["calcium"].idxmax()',
                "1.2": 'answer_1_2 = "sixty"',
                "1.3": "answer_1_3 = 0",
            }
        ),
    )
    write(
        subs / "dana.ipynb",
        with_answers({"1.1": RIGHT["1.1"], "1.2": "while True:\n    pass", "1.3": RIGHT["1.3"]}),
    )
    write(
        subs / "eve.ipynb",
        with_answers(
            {"1.1": "hog = []\nwhile True:\n    hog.append(bytearray(10**8))", "1.2": RIGHT["1.2"]}
        ),
    )
    write(
        subs / "fred.ipynb",
        with_answers(
            {
                "1.1": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
            }
        ),
    )
    vandal = (
        "import os, shutil, pathlib, cramplab\n"
        f"for target in [pathlib.Path(cramplab.__file__).parents[2], pathlib.Path({str(root)!r})]:\n"
        "    for path in sorted(target.rglob('*'), reverse=True):\n"
        "        try:\n"
        "            path.unlink() if path.is_file() else path.rmdir()\n"
        "        except OSError:\n"
        "            pass\n"
        f"try:\n    open({str(canary)!r}, 'w').write('changed')\nexcept OSError:\n    pass\n"
    )
    write(subs / "gina.ipynb", with_answers({"1.1": RIGHT["1.1"]}, before=vandal))
    cheat = (
        "import cramplab.checks as checks_module, cramplab.checks.core as core, pathlib\n"
        "core.number = lambda *a, **k: None\n"
        "checks_module.fruit_richest_in_calcium = lambda *a: print('Correct! well done')\n"
        "for path in pathlib.Path(core.__file__).parent.glob('*.py'):\n"
        "    try:\n        path.write_text('')\n    except OSError:\n        pass\n"
    )
    write(
        subs / "hank.ipynb",
        with_answers(
            {"1.1": "answer_1_1 = 1", "1.2": "answer_1_2 = 2\nprint('Correct! 2 IU')"},
            before=cheat,
        ),
    )
    write(subs / "ivan.ipynb", with_answers({"1.1": steal}))
    write(subs / "jill.ipynb", b"")
    write(subs / "kim.ipynb", json.dumps(student_edition())[:500])
    write(
        subs / "lee.ipynb",
        {"nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": []}], "metadata": {}},
    )
    write(subs / "mo.ipynb", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    before = (clone_state(), fingerprint(subs), canary.read_text())
    out = root / "out"
    lines: list[str] = []
    args = grade.parse(
        [
            str(subs),
            "--out",
            str(out),
            "--notebooks",
            "01",
            "--cell-timeout",
            "15",
            "--notebook-timeout",
            "90",
            "--memory-mb",
            "3072",
        ]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(CLONE.root)
        grade.grade(args, log=lines.append)
    after = (clone_state(), fingerprint(subs), canary.read_text())
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {
        "out": out,
        "rows": rows,
        "before": before,
        "after": after,
        "log": lines,
        "subs": subs,
        "args": args,
    }


def results(row) -> list[str]:
    return [row[key] for key in EXERCISES]


def test_one_row_per_student_with_the_course_version(graded):
    assert sorted(graded["rows"]) == [
        "alice", "bob", "carl", "dana", "eve", "fred", "gina", "hank", "ivan", "jill", "kim", "lee", "mo",
    ]  # fmt: skip
    assert all(row["course_version"].startswith("0.1.0") for row in graded["rows"].values())
    assert all(row["out_of"] == "3" for row in graded["rows"].values())


def test_student_edition_as_shipped_is_not_answered(graded):
    assert results(graded["rows"]["alice"]) == ["not answered"] * 3


def test_instructor_edition_is_all_correct(graded):
    row = graded["rows"]["bob"]
    assert results(row) == ["correct"] * 3 and row["correct"] == "3"


def test_wrong_answers_get_the_self_checks_message(graded):
    assert results(graded["rows"]["carl"]) == ["not quite"] * 3
    feedback = (graded["out"] / "feedback" / "carl.md").read_text(encoding="utf-8")
    assert "that leads every food; keep only the foods whose food_group" in feedback
    assert (
        "Expected a number for sardines' vitamin D in IU per 100 g, got the text 'sixty'"
        in feedback
    )


def test_infinite_loop_times_out_and_nothing_after_it_counts(graded):
    row = graded["rows"]["dana"]  # the answer given before the loop still counts
    assert results(row) == ["correct", "timed out", "timed out"]
    assert "timed out (cell" in row["notes"]


def test_unbounded_allocation_is_an_error_and_later_exercises_still_count(graded):
    row = graded["rows"]["eve"]
    assert results(row) == ["error", "correct", "not answered"]
    assert (
        "MemoryError"
        in json.loads((graded["out"] / "rows" / "eve.json").read_text())["results"]["1.1"][
            "message"
        ]
    )


def test_fork_bomb_is_stopped(graded):
    row = graded["rows"]["fred"]
    assert results(row) == ["timed out"] * 3
    leftover = subprocess.run(
        ["pgrep", "-f", "cramplab_tools.grading.kernel"], capture_output=True, text=True
    ).stdout
    assert leftover.strip() == "" or all(
        "grading.kernel" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        for pid in leftover.split()
    )


def test_deleting_files_changes_nothing_outside_the_grader(graded):
    assert results(graded["rows"]["gina"]) == ["correct", "not answered", "not answered"]
    assert graded["after"] == graded["before"]


def test_patched_checks_and_fake_correct_do_not_count(graded):
    assert results(graded["rows"]["hank"]) == ["not quite", "not quite", "not answered"]


def test_another_students_notebook_cannot_be_read(graded):
    assert results(graded["rows"]["ivan"]) == ["not quite", "not answered", "not answered"]


@pytest.mark.parametrize(
    ("student", "said"),
    [
        ("jill", "the file is empty"),
        ("kim", "broken JSON"),
        ("lee", "nbformat 3"),
        ("mo", "a PDF file"),
    ],
)
def test_non_notebooks_get_a_row_saying_what_happened(graded, student, said):
    row = graded["rows"][student]
    assert results(row) == ["error"] * 3
    assert said in row["notes"]


def test_lms_gradebook_and_feedback_for_everyone(graded):
    text = (graded["out"] / "gradebook-lms.csv").read_text(encoding="utf-8")
    lines = list(csv.reader(text.splitlines()))
    assert lines[0][0] == "Student" and lines[1][0] == "Points Possible"
    points = {line[0]: line[-1] for line in lines[2:]}
    assert points["bob"] == "3" and points["alice"] == "0" and len(points) == 13
    assert sorted(p.stem for p in (graded["out"] / "feedback").glob("*.md")) == sorted(
        graded["rows"]
    )
    assert any("Gradebook:" in line for line in graded["log"])


def test_a_rerun_keeps_finished_rows_and_grades_only_the_missing(graded, tmp_path):
    out = graded["out"]
    (out / "rows" / "carl.json").unlink()
    kept = (out / "rows" / "bob.json").read_bytes()
    lines: list[str] = []
    args = grade.parse([str(graded["subs"]), "--out", str(out), "--notebooks", "01"])
    # Only carl's row is missing, so only carl runs again (the others' notebooks are not run).
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(CLONE.root)
        grade.grade(args, log=lines.append)
    assert lines[0].startswith("Grading 1 of 13 students (12 already graded)")
    assert (out / "rows" / "bob.json").read_bytes() == kept
    assert (
        json.loads((out / "rows" / "carl.json").read_text())["results"]["1.1"]["result"]
        == "not quite"
    )


# --- the parts, without kernels ---------------------------------------------------------------


def test_answers_travel_as_data_and_come_back_equal():
    import numpy as np
    import pandas as pd

    from cramplab import plan
    from cramplab.checks.core import data

    frame = pd.DataFrame({"a": [1.0, np.nan], "b": ["x", "y"]}, index=["r1", "r2"])
    values = {
        "answer": {"k": ("not_serious", "why"), "n": [1, 2.5, None]},
        "frame": frame,
        "series": frame["a"],
        "number": np.int64(7),
        "missing": float("nan"),
        "placeholder": ...,
        "menu": plan.plan_menu(data(), exclude=["edamame_cooked"]),
    }
    back = answers.loads(answers.dumps(values))
    assert back["answer"] == values["answer"]
    pd.testing.assert_frame_equal(back["frame"], frame)
    pd.testing.assert_series_equal(back["series"], frame["a"])
    assert back["number"] == 7 and isinstance(back["number"], np.integer)
    assert np.isnan(back["missing"]) and back["placeholder"] is ...
    assert isinstance(back["menu"], plan.Menu)
    assert "pickle" not in Path(answers.__file__).read_text(encoding="utf-8").replace(
        "never pickle", ""
    ).replace("NEVER pickle", "")


def test_unknown_objects_arrive_as_unsupported_and_are_not_quite():
    exercises = course_exercises([CLONE.notebooks / f"{NOTEBOOK}.ipynb"])[NOTEBOOK]
    back = answers.loads(answers.dumps({"answer_1_1": object()}))
    assert isinstance(back["answer_1_1"], answers.Unsupported)
    assert verdict(exercises[0], back)[0] == "not quite"
    forged = json.dumps({"answer": {"__kind__": "dataclass", "type": "os.system", "fields": {}}})
    assert isinstance(answers.loads(forged)["answer"], answers.Unsupported)


def test_every_course_exercise_has_its_self_check_in_the_student_edition():
    """Answers are read by name at the end of a run; each exercise's self-check cell must still
    be there for the student (and its literal arguments are what the grader passes)."""
    every = course_exercises(sorted(CLONE.notebooks.glob("[0-9][0-9]_*.ipynb")))
    assert sum(len(e) for e in every.values()) >= 20
    for path in sorted(CLONE.student.glob("[0-9][0-9]_*.ipynb")):
        cells = [
            {"source": "".join(c["source"]), "tags": c.get("metadata", {}).get("tags", [])}
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "code"
        ]
        assert course_exercises([path])[path.stem] == every[path.stem], path.name
        points = capture_points(cells, every[path.stem])
        read_at_the_end = [key for key, _ in points[len(cells)]]
        assert read_at_the_end == [e.key for e in every[path.stem]], path.name


def test_rows_are_written_whole(tmp_path):
    gradebook.write_row(tmp_path, {"row_version": 1, "student": "x", "results": {}, "notes": []})
    assert list((tmp_path / "rows").iterdir()) == [tmp_path / "rows" / "x.json"]


def test_answers_with_names_of_their_own_are_read_at_the_end(monkeypatch):
    """Each exercise has its own answer_N_M: read once the notebook has run, and an error in
    the cell that assigns it, or in its own answer cell, makes the exercise an error."""
    from cramplab import checks
    from cramplab_tools.grading.exercises import Exercise, answer_cells

    def own_check(answer_9_1):
        return None

    own_check.answer_names = ("answer_9_1",)
    monkeypatch.setattr(checks, "own_check", own_check, raising=False)
    exercise = Exercise("09_x", "9.1", "own_check", (), ("answer_9_1",))
    cells = [
        {"source": "answer_9_1 = 1 / 0", "tags": []},
        {"source": "checks.own_check()", "tags": []},
    ]
    assert capture_points(cells, [exercise]) == {
        1: [["9.1", ["answer_9_1"]]],
        2: [["9.1", ["answer_9_1"]]],
    }
    assert answer_cells(cells, exercise, [exercise]) == {0}
    assert answer_cells([{"source": "answer_9_1 == 2", "tags": []}], exercise, [exercise]) == set()
    hog = [{"source": "hog = [0] * 10**12", "tags": ["answer"]}, cells[1]]
    assert answer_cells(hog, exercise, [exercise]) == {0}


def test_an_lms_zip_gives_one_student_per_canvas_file_and_moodle_folder(tmp_path):
    import zipfile

    from cramplab_tools.grading.submissions import discover

    every = course_exercises(sorted(CLONE.notebooks.glob("[0-9][0-9]_*.ipynb")))
    notebook = json.dumps(student_edition())
    archive = tmp_path / "bulk.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"smithjohn_12345_67890_{NOTEBOOK}.ipynb", notebook)
        zipped.writestr("doejane_late_222_333_homework.ipynb", notebook)
        zipped.writestr("Ann Lee_4567_assignsubmission_file_/anything.ipynb", notebook)
        zipped.writestr("Ann Lee_4567_assignsubmission_file_/notes.pdf", b"%PDF-1.4")
        zipped.writestr("../escape.ipynb", notebook)
    students = discover(archive, every, tmp_path / "unpacked")
    assert [s.name for s in students] == ["Ann Lee", "doejane", "smithjohn"]
    assert not (tmp_path / "escape.ipynb").exists()
    ann = students[0]
    assert sorted(f.problem for f in ann.files) == [
        "",
        "not a notebook (a PDF file with a notebook's name)",
    ]
    assert all(f.notebook == NOTEBOOK for s in students for f in s.files if not f.problem)
