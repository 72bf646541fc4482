"""A folder (or an LMS bulk-download zip) of submissions -> students, each with their files.

Accepted layouts, mixed freely:

* files at the top: ``alice.ipynb``, ``alice_01_the_data.ipynb``, Canvas's
  ``smithjohn_12345_67890_01_the_data.ipynb`` (``_late`` too): one student per file name,
  the course notebook's name and LMS ids taken off;
* a sub-folder per student (Moodle's ``John Smith_12345_assignsubmission_file_`` included),
  holding one or more notebooks, at any depth;
* a ``.zip`` of either (also as the SUBMISSIONS argument itself), unpacked into the grader's
  temporary folder with unsafe member names (absolute, ``..``) and oversized members skipped.

Which course notebook a file is: its name when it contains a course notebook's stem (or its
NN_ prefix), else the self-checks its cells call. A file that is not a readable nbformat 4
notebook is kept, with what is wrong with it, so that it gets its own gradebook row.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cramplab_tools.grading.exercises import Exercise, _self_check_call

MAX_NOTEBOOK_BYTES = 50 * 1024**2
MAX_ZIP_BYTES = 500 * 1024**2
IGNORED = re.compile(r"^(\.|__MACOSX$|Thumbs\.db$|desktop\.ini$)")
CANVAS = re.compile(r"^(?P<name>[A-Za-z][\w-]*?)(?:_LATE|_late)?_\d+_\d+(?:_|$)")
MOODLE = re.compile(r"^(?P<name>.+?)_\d+_(?:assignsubmission|onlinetext)\w*$")


@dataclass
class Submitted:
    """One file a student handed in."""

    path: Path
    notebook: str | None = None  # the course notebook's stem it answers
    cells: list[dict] | None = None  # code cells: {"source", "tags"}
    problem: str = ""  # why it cannot be run ("" when it can)


@dataclass
class Student:
    name: str
    files: list[Submitted] = field(default_factory=list)


def safe_name(name: str) -> str:
    """A student name usable as a file name (feedback/<name>.md, rows/<name>.json)."""
    cleaned = re.sub(r"[^\w.@ -]+", "_", name).strip(" ._") or "student"
    return cleaned[:80]


def student_name(stem: str, course_stems: list[str]) -> str:
    """The student a top-level file or a folder belongs to, from its name."""
    name = stem
    for course in sorted(course_stems, key=len, reverse=True):
        name = name.replace(course, "")
    moodle = MOODLE.match(name)
    if moodle:
        name = moodle.group("name")
    canvas = CANVAS.match(name)
    if canvas:
        name = canvas.group("name")
    name = re.sub(r"[_\-\s]+$", "", re.sub(r"^[_\-\s]+", "", name))
    return name or stem


def unpack(archive: Path, target: Path) -> Path:
    """Unpack an LMS zip safely into target; return target."""
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.infolist():
            parts = Path(member.filename).parts
            if member.is_dir() or member.filename.startswith(("/", "\\")) or ".." in parts:
                continue
            total += member.file_size
            if member.file_size > MAX_NOTEBOOK_BYTES or total > MAX_ZIP_BYTES:
                continue
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zipped.open(member) as source:
                destination.write_bytes(source.read(MAX_NOTEBOOK_BYTES + 1))
    return target


def read_submission(path: Path, exercises: dict[str, list[Exercise]]) -> Submitted:
    """Read one file: which course notebook it is and its code cells, or what is wrong."""
    submitted = Submitted(path)
    try:
        raw = path.read_bytes()[: MAX_NOTEBOOK_BYTES + 1]
    except OSError as error:
        submitted.problem = f"not readable ({error.strerror})"
        return submitted
    if len(raw) > MAX_NOTEBOOK_BYTES:
        submitted.problem = "not a notebook (larger than 50 MB)"
    elif not raw.strip():
        submitted.problem = "not a notebook (the file is empty)"
    elif raw.startswith(b"%PDF"):
        submitted.problem = "not a notebook (a PDF file with a notebook's name)"
    elif raw[:4] == b"PK\x03\x04":
        submitted.problem = "not a notebook (a zip file)"
    if submitted.problem:
        return _guess_notebook(submitted, exercises)
    try:
        notebook = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        submitted.problem = "not a notebook (not text: a binary file)"
        return _guess_notebook(submitted, exercises)
    except ValueError as error:
        submitted.problem = f"not a notebook (broken JSON: {error.msg} at line {error.lineno})"
        return _guess_notebook(submitted, exercises)
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        version = notebook.get("nbformat") if isinstance(notebook, dict) else None
        if version is not None and version < 4:
            submitted.problem = f"not a notebook this course reads (nbformat {version}; save it from Jupyter 4 or later)"
        else:
            submitted.problem = "not a notebook (JSON without cells)"
        return _guess_notebook(submitted, exercises)
    if notebook.get("nbformat", 4) < 4:
        submitted.problem = (
            f"not a notebook this course reads (nbformat {notebook.get('nbformat')})"
        )
        return _guess_notebook(submitted, exercises)
    cells = []
    for cell in notebook["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        tags = metadata.get("tags") if isinstance(metadata.get("tags"), list) else []
        cells.append({"source": source, "tags": [str(t) for t in tags]})
    submitted.cells = cells
    _guess_notebook(submitted, exercises)
    if submitted.notebook is None:
        submitted.problem = "not one of the course's notebooks (no known self-check in it)"
    return submitted


def _guess_notebook(submitted: Submitted, exercises: dict[str, list[Exercise]]) -> Submitted:
    name = submitted.path.name
    for stem in sorted(exercises, key=len, reverse=True):
        if stem in name:
            submitted.notebook = stem
            return submitted
    if submitted.cells:
        called = {c[0] for cell in submitted.cells if (c := _self_check_call(cell["source"]))}
        scores = {stem: len(called & {e.check_name for e in ex}) for stem, ex in exercises.items()}
        best = max(scores, key=scores.get, default=None)
        if best is not None and scores[best] > 0:
            submitted.notebook = best
            return submitted
    for stem in exercises:  # "01.ipynb", "nb01_alice.ipynb"
        if re.search(rf"(^|[^0-9]){stem[:2]}([^0-9]|$)", name):
            submitted.notebook = stem
            return submitted
    if len(exercises) == 1:
        submitted.notebook = next(iter(exercises))
    return submitted


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(IGNORED.match(part) for part in p.relative_to(folder).parts)
    )


def discover(folder: Path, exercises: dict[str, list[Exercise]], unpack_to: Path) -> list[Student]:
    """The students in a submissions folder (or zip), each with their files read."""
    if folder.is_file() and zipfile.is_zipfile(folder):
        folder = unpack(folder, unpack_to / folder.stem)
    students: dict[str, Student] = {}
    stems = list(exercises)
    for path in _files(folder):
        if zipfile.is_zipfile(path) and path.suffix.lower() == ".zip":
            inner = unpack(path, unpack_to / f"{path.stem}-{len(students)}")
            for student in discover(
                inner, exercises, unpack_to / f"{path.stem}-{len(students)}-x"
            ):
                students.setdefault(student.name, Student(student.name)).files.extend(
                    student.files
                )
            continue
        relative = path.relative_to(folder)
        owner = relative.parts[0] if len(relative.parts) > 1 else path.stem
        name = safe_name(student_name(owner, stems))
        students.setdefault(name, Student(name)).files.append(read_submission(path, exercises))
    return [students[name] for name in sorted(students, key=str.lower)]
