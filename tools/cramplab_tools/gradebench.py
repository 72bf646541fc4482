"""`make bench`'s grading section (`python -m cramplab_tools bench --grade-only`): a class of
30 students, each handing in the whole course, graded by `make grade` on both cores, against
the issue's limit of 2x the time of running the course's notebooks once per submission.

* course once: every numbered notebook executed once, one after the other, from a fresh
  kernel (cramplab_tools.notebooks.execute, as `make notebooks`); the limit is
  2 x students x that.
* grade: the class (a folder per student: the instructor edition for two students in three,
  the student edition as shipped for the others) graded into a temporary folder by
  cramplab_tools.grade with two jobs, contained as it is for a teacher.

Results go to build/bench/grade.json (bench/grade.json with --record).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cramplab.paths import Clone
from cramplab_tools import grade
from cramplab_tools.notebooks import course_notebooks, execute

STUDENTS = 30
LIMIT_RATIO = 2.0
RESULTS_FILE = "grade.json"


def make_class(folder: Path, clone: Clone, students: int) -> None:
    for number in range(students):
        edition = clone.student if number % 3 == 2 else clone.notebooks
        target = folder / f"student{number:02d}"
        target.mkdir(parents=True)
        for notebook in course_notebooks(edition):
            shutil.copyfile(notebook, target / notebook.name)


def measure(clone: Clone, students: int = STUDENTS) -> dict:
    print(
        f"grading bench: {students} students x the whole course (about {students * 20 // 60 + 2} minutes)",
        file=sys.stderr,
    )
    start = time.perf_counter()
    for notebook in course_notebooks(clone.notebooks):
        execute(notebook)
    course_once = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="cramplab-gradebench-") as scratch:
        submissions = Path(scratch) / "class"
        make_class(submissions, clone, students)
        lines: list[str] = []
        args = grade.parse([str(submissions), "--out", str(Path(scratch) / "out"), "--jobs", "2"])
        start = time.perf_counter()
        grade.grade(args, log=lambda line: (lines.append(line), print(line, file=sys.stderr)))
        graded = time.perf_counter() - start
        book = (Path(scratch) / "out" / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    limit = LIMIT_RATIO * students * course_once
    return {
        "about": "make grade on a class: seconds (see cramplab_tools.gradebench)",
        "students": students,
        "notebooks_per_student": len(course_notebooks(clone.notebooks)),
        "course_once_s": round(course_once, 1),
        "grade_s": round(graded, 1),
        "limit_s": round(limit, 1),
        "ratio_to_once_per_submission": round(graded / (students * course_once), 2),
        "met": graded <= limit,
        "gradebook_rows": len(book) - 1,
        "cpus": os.cpu_count(),
        "load_average_1min_end": os.getloadavg()[0],
    }


def report(clone: Clone, record: bool = False, students: int = STUDENTS) -> int:
    results = measure(clone, students)
    target = (clone.bench if record else clone.root / "build" / "bench") / RESULTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    verdict = "ok" if results["met"] else "MISS"
    print(
        f"grading: {students} students x {results['notebooks_per_student']} notebooks graded in "
        f"{results['grade_s']:.0f} s; running the course once per submission takes "
        f"{students} x {results['course_once_s']:.1f} s = {students * results['course_once_s']:.0f} s; "
        f"ratio {results['ratio_to_once_per_submission']:.2f} (limit {LIMIT_RATIO:g}) {verdict}"
    )
    print(f"wrote {target.relative_to(clone.root)}")
    return 0
