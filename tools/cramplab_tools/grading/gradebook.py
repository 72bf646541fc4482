"""The gradebook a grading run writes, from one row file per finished student.

build/grade/<name>/
  rows/<student>.json   one per finished student, written atomically (temp file + rename),
                        so an interrupted run keeps every finished row and a rerun skips them;
  gradebook.csv         student, one column per exercise (correct / not quite / not answered /
                        error / timed out / not submitted), correct, out_of, notes, course_version;
  gradebook-lms.csv     Canvas/Moodle import: Student, ID, a points column (correct exercises);
  feedback/<student>.md each exercise's self-check message and what to look at.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from cramplab_tools.grading.exercises import CORRECT, Exercise

NOT_SUBMITTED = "not submitted"
ROW_VERSION = 1


def atomic_write(path: Path, text: str) -> None:
    """Write text to path so that a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def row_path(out: Path, student: str) -> Path:
    return out / "rows" / f"{student}.json"


def write_row(out: Path, row: dict) -> None:
    atomic_write(
        row_path(out, row["student"]), json.dumps(row, indent=1, ensure_ascii=False) + "\n"
    )


def read_rows(out: Path) -> dict[str, dict]:
    rows = {}
    for path in sorted((out / "rows").glob("*.json")):
        try:
            row = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue  # cannot happen with atomic writes; a hand-edited file is regraded
        if isinstance(row, dict) and row.get("row_version") == ROW_VERSION:
            rows[row["student"]] = row
    return rows


def columns(exercises: list[Exercise]) -> list[str]:
    return [exercise.key for exercise in exercises]


def gradebook_csv(rows: list[dict], exercises: list[Exercise], version: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = columns(exercises)
    writer.writerow(["student", *keys, "correct", "out_of", "notes", "course_version"])
    for row in rows:
        results = [row["results"].get(key, {}).get("result", NOT_SUBMITTED) for key in keys]
        writer.writerow(
            [
                row["student"],
                *results,
                sum(result == CORRECT for result in results),
                len(keys),
                "; ".join(row.get("notes", [])),
                version,
            ]
        )
    return buffer.getvalue()


def lms_csv(rows: list[dict], exercises: list[Exercise], title: str) -> str:
    """Canvas's grade import columns (Student, ID, SIS User ID, Section, <assignment>);
    Moodle's CSV import maps the Student and points columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    points = f"{title} ({len(exercises)} points)"
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", points])
    writer.writerow(["Points Possible", "", "", "", "", len(exercises)])
    for row in rows:
        correct = sum(row["results"].get(e.key, {}).get("result") == CORRECT for e in exercises)
        writer.writerow([row["student"], "", "", row["student"], "", correct])
    return buffer.getvalue()


LOOK_AT = {
    "correct": "",
    "not quite": "Read the message, look again at the cells before the exercise, and try again.",
    "not answered": "Replace the `...` in the answer cell and run it, then the self-check.",
    "error": "Your code raised an error here (or the notebook stopped): run it top to bottom "
    "with Kernel > Restart & Run All and fix the first error.",
    "timed out": "The notebook ran out of time at or before this exercise: look for a loop that "
    "never ends or a very slow cell.",
    NOT_SUBMITTED: "This notebook was not in your submission.",
}


def feedback_markdown(row: dict, exercises: list[Exercise], version: str) -> str:
    lines = [f"# Feedback for {row['student']}", "", f"Graded against cramplab {version}."]
    for note in row.get("notes", []):
        lines += ["", f"**Note:** {note}"]
    notebook = None
    for exercise in exercises:
        if exercise.notebook != notebook:
            notebook = exercise.notebook
            lines += ["", f"## {notebook}"]
        entry = row["results"].get(exercise.key, {"result": NOT_SUBMITTED, "message": ""})
        lines += ["", f"### Exercise {exercise.key}: {entry['result']}"]
        if entry.get("message"):
            lines += ["", f"> {entry['message']}"]
        if LOOK_AT.get(entry["result"]):
            lines += ["", LOOK_AT[entry["result"]]]
    correct = sum(row["results"].get(e.key, {}).get("result") == CORRECT for e in exercises)
    lines += ["", f"**{correct} of {len(exercises)} exercises correct.**", ""]
    return "\n".join(lines)


def write_all(out: Path, exercises: list[Exercise], version: str, title: str) -> dict[str, Path]:
    """Assemble the gradebooks and the feedback from every row file; return what was written."""
    rows = sorted(read_rows(out).values(), key=lambda row: row["student"].lower())
    written = {
        "gradebook": out / "gradebook.csv",
        "lms": out / "gradebook-lms.csv",
        "feedback": out / "feedback",
    }
    atomic_write(written["gradebook"], gradebook_csv(rows, exercises, version))
    atomic_write(written["lms"], lms_csv(rows, exercises, title))
    for row in rows:
        atomic_write(
            out / "feedback" / f"{row['student']}.md", feedback_markdown(row, exercises, version)
        )
    return written
