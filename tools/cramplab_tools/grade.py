"""`make grade SUBMISSIONS=folder` (or `python -m cramplab_tools grade folder`): a class's
submitted notebooks -> a gradebook, feedback for each student, safely.

Each submission runs in a temporary copy in a contained kernel (grading/sandbox.py, kernel.py)
that sends back only its answer values, as data (grading/answers.py); the grader's own process
then asks each exercise's self-check for its verdict (grading/exercises.py). Stored outputs in
the submitted file are never read, and nothing the student's code prints or patches counts.

Options: --out DIR (default build/grade/<submissions name>), --notebooks 01,03 (grade these
course notebooks only; default: those submitted), --force (regrade students already in
rows/), --jobs N (default 2), --cell-timeout S, --notebook-timeout S, --memory-mb MB.
A rerun after an interrupt grades only the students without a row.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from importlib import metadata
from pathlib import Path

from cramplab.paths import CloneRequired, find_clone
from cramplab_tools.grading import answers, gradebook, kernel, sandbox
from cramplab_tools.grading.exercises import (
    CORRECT,
    ERROR,
    NOT_ANSWERED,
    TIMED_OUT,
    Exercise,
    answer_cells,
    capture_points,
    course_exercises,
    verdict,
)
from cramplab_tools.grading.submissions import Student, Submitted, discover

WORK_PREFIX = "cramplab-grade-"
CLONE_PURPOSE = "grades against the notebooks of"


def course_version(root: Path) -> str:
    """The package version and the commit graded against (with +dirty when edited)."""
    version = metadata.version("cramplab")
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version}+{commit}" if commit else version


def choose(files: list[Submitted], notes: list[str]) -> dict[str, Submitted]:
    """One file per course notebook: a readable one over a broken one, else the last by name."""
    chosen: dict[str, Submitted] = {}
    for submitted in files:
        if submitted.notebook is None:
            notes.append(f"{submitted.path.name}: {submitted.problem or 'not a course notebook'}")
            continue
        previous = chosen.get(submitted.notebook)
        if previous is not None:
            keep = submitted if (not submitted.problem or previous.problem) else previous
            other = previous if keep is submitted else submitted
            notes.append(
                f"two files for {submitted.notebook}: graded {keep.path.name}, not {other.path.name}"
            )
            chosen[submitted.notebook] = keep
        else:
            chosen[submitted.notebook] = submitted
    return chosen


class Grader:
    def __init__(self, exercises, limits, hidden, read_only, jobs):
        self.exercises: dict[str, list[Exercise]] = exercises
        self.limits: sandbox.Limits = limits
        self.hidden, self.read_only = hidden, read_only
        self.slots = list(range(jobs))
        self.lock = threading.Lock()

    def _slot(self) -> int:
        with self.lock:
            return self.slots.pop()

    def _free(self, slot: int) -> None:
        with self.lock:
            self.slots.append(slot)

    def grade_notebook(self, submitted: Submitted, results: dict, notes: list[str]) -> None:
        exercises = self.exercises[submitted.notebook]
        if submitted.problem:
            for exercise in exercises:
                results[exercise.key] = {"result": ERROR, "message": submitted.problem}
            notes.append(f"{submitted.path.name}: {submitted.problem}")
            return
        slot = self._slot()
        uid = sandbox.KERNEL_UID_BASE + slot if sandbox.is_root() else None
        workdir = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
        try:
            shutil.copyfile(submitted.path, workdir / "submission.ipynb")
            if uid is not None:
                for path in (workdir, workdir / "submission.ipynb"):
                    os.chown(path, uid, uid)
            os.chmod(workdir, 0o700)
            captures = capture_points(submitted.cells, exercises)
            plan = sandbox.Plan(str(workdir), self.hidden, self.read_only, uid, self.limits)
            run = kernel.run(submitted.cells, captures, plan, workdir / "submission.ipynb")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            self._free(slot)
        for exercise in exercises:
            payload = run.answers.get(exercise.key)
            raised = sorted(answer_cells(submitted.cells, exercise, exercises))
            failed = next((run.errors[i] for i in raised if i in run.errors), None)
            if payload is not None and failed:
                results[exercise.key] = {
                    "result": ERROR,
                    "message": f"the answer cell raised {failed}",
                }
            elif payload is not None:
                try:
                    values = answers.loads(payload)
                    result, message = verdict(exercise, values)
                except (ValueError, TypeError, KeyError) as error:
                    result, message = ERROR, f"the answer could not be read ({error})"
                results[exercise.key] = {"result": result, "message": message}
            elif run.stopped.startswith("timed out"):
                results[exercise.key] = {
                    "result": TIMED_OUT,
                    "message": f"the notebook {run.stopped}",
                }
            elif run.stopped:
                results[exercise.key] = {
                    "result": ERROR,
                    "message": f"the notebook stopped: {run.stopped}",
                }
            else:
                results[exercise.key] = {"result": NOT_ANSWERED, "message": "no answer reached"}
        if run.stopped:
            notes.append(f"{submitted.notebook}: {run.stopped}")
        if run.not_contained:
            notes.append(f"{submitted.notebook}: not contained: {'; '.join(run.not_contained)}")

    def grade_student(self, student: Student) -> dict:
        notes: list[str] = []
        results: dict[str, dict] = {}
        for stem, submitted in sorted(choose(student.files, notes).items()):
            if stem not in self.exercises:
                notes.append(f"{submitted.path.name}: {stem} is not graded in this run")
                continue
            self.grade_notebook(submitted, results, notes)
        return {
            "row_version": gradebook.ROW_VERSION,
            "student": student.name,
            "files": [str(s.path.name) for s in student.files],
            "results": results,
            "notes": notes,
        }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cramplab_tools grade", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("submissions", type=Path, help="a folder of submissions, or an LMS zip")
    parser.add_argument("--out", type=Path, help="default: build/grade/<submissions name>")
    parser.add_argument(
        "--notebooks", default="", help="course notebooks to grade: 01,03 or 01_the_data"
    )
    parser.add_argument("--force", action="store_true", help="regrade students already graded")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cell-timeout", type=float, default=sandbox.Limits.cell_s)
    parser.add_argument("--notebook-timeout", type=float, default=sandbox.Limits.notebook_s)
    parser.add_argument("--memory-mb", type=int, default=sandbox.Limits.memory_bytes // 1024**2)
    return parser.parse_args(argv)


def grade(args: argparse.Namespace, log=print) -> dict[str, Path]:
    clone = find_clone(command="make grade", purpose=CLONE_PURPOSE)
    every = course_exercises(sorted(clone.notebooks.glob("[0-9][0-9]_*.ipynb")))
    wanted = [w.strip() for w in args.notebooks.split(",") if w.strip()]
    if wanted:
        unknown = [w for w in wanted if not any(stem.startswith(w) or stem == w for stem in every)]
        if unknown:
            raise SystemExit(
                f"error: no course notebook {', '.join(unknown)} (have {', '.join(every)})"
            )
        every = {s: e for s, e in every.items() if any(s.startswith(w) for w in wanted)}
    submissions = args.submissions.resolve()
    if not submissions.exists():
        raise SystemExit(f"error: {args.submissions}: no such folder or zip of submissions")
    name = submissions.stem if submissions.is_file() else submissions.name
    out = (args.out or clone.root / "build" / "grade" / name).resolve()
    out.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix=WORK_PREFIX + "zip-"))
    try:
        students = discover(submissions, every, unpacked)
        if not students:
            raise SystemExit(f"error: {args.submissions}: no files to grade in it")
        submitted = {f.notebook for s in students for f in s.files if f.notebook}
        graded = {s: e for s, e in every.items() if wanted or s in submitted} or every
        exercises = [e for stem in sorted(graded) for e in graded[stem]]
        if len(graded) == 1:  # a file that is no notebook was meant as the one graded here
            for student in students:
                for file in student.files:
                    file.notebook = file.notebook or next(iter(graded))
        version = course_version(clone.root)
        limits = sandbox.Limits(args.cell_timeout, args.notebook_timeout, args.memory_mb * 1024**2)
        home = [str(Path.home())] if not sandbox.is_root() else []
        grader = Grader(
            graded,
            limits,
            [
                str(submissions if submissions.is_dir() else submissions.parent),
                str(out),
                str(unpacked),
            ],
            [str(clone.root), *home],
            max(1, args.jobs),
        )
        done = gradebook.read_rows(out)
        todo = [s for s in students if args.force or s.name not in done]
        log(
            f"Grading {len(todo)} of {len(students)} students ({len(students) - len(todo)} already graded) "
            f"against {', '.join(sorted(graded))}, cramplab {version}, {grader.slots and len(grader.slots)} at a time"
        )
        log(f"Containment: {sandbox.describe()}")
        from cramplab.checks.core import data

        data()  # loaded once here, before the worker threads ask for it
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(grader.grade_student, s): s for s in todo}
            try:
                for count, future in enumerate(as_completed(futures), start=1):
                    row = future.result()
                    gradebook.write_row(out, row)
                    correct = sum(r["result"] == CORRECT for r in row["results"].values())
                    notes = f" ({'; '.join(row['notes'])})" if row["notes"] else ""
                    log(
                        f"[{count}/{len(todo)}] {row['student']}: {correct} of {len(exercises)} correct{notes}"
                    )
            except BaseException:
                for future in futures:
                    future.cancel()
                kernel.stop_all()
                raise
        written = gradebook.write_all(
            out, exercises, version, f"cramplab {', '.join(sorted(graded))}"
        )
        log(f"Graded in {time.monotonic() - start:.1f} s.")
        log(f"Gradebook: {written['gradebook']}")
        log(f"For Canvas/Moodle import: {written['lms']}")
        log(f"Feedback: {written['feedback']}{os.sep}<student>.md")
        return written
    finally:
        shutil.rmtree(unpacked, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    try:  # first, so that outside a clone the one line says so (not argparse's usage)
        find_clone(command="make grade", purpose=CLONE_PURPOSE)
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        grade(args)
    except KeyboardInterrupt:
        print(
            "interrupted: every finished student's row is kept; run the same command again to go on",
            file=sys.stderr,
        )
        return 130
    return 0
