"""Where things live. Every location the package uses is worked out here, once.

The course data travels with the package: a wheel carries data/ as ``cramplab/dataset``, and an
editable install reads ``data/`` of its own source tree, so ``cramplab.load()`` works wherever
the package is installed. A teacher's edited copy is used when named explicitly
(``cramplab.load(path)``) or through ``$CRAMPLAB_DATA``.

Commands that write into the repository (figures, editions, stored outputs, benchmarks, the SR28
rebuild) need a clone. The rule, however a command is started (make, ``python -m`` with any
environment's Python, an editable or a wheel install): it works on the clone that holds the
working directory, its root or any folder inside it, and from anywhere else it says so and
stops. ``find_clone`` applies it. It never falls back to the clone an editable install was made
from: ``cd /tmp && .venv/bin/python -m cramplab_tools figures`` must not rewrite a clone the
user is not in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_ENV = "CRAMPLAB_DATA"
SR28_ENV = "CRAMPLAB_SR28"
PACKAGED_DATA = PACKAGE_DIR / "dataset"  # where a wheel puts data/ (see pyproject.toml)
DESCRIPTOR = "datapackage.json"


class CloneRequired(RuntimeError):
    """A command that writes into the repository was run outside a clone of it."""


@dataclass(frozen=True)
class Clone:
    """A checkout of the cramplab repository, and the folders the course tooling writes."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def student(self) -> Path:
        return self.root / "student"

    @property
    def bench(self) -> Path:
        return self.root / "bench"


def is_clone(folder: Path) -> bool:
    """A folder with the repository's pyproject.toml, notebooks/ and data/.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     root = Path(folder)
    ...     empty = is_clone(root)
    ...     (root / "notebooks").mkdir()
    ...     (root / "data").mkdir()
    ...     _ = (root / "data" / DESCRIPTOR).write_text("{}", encoding="utf-8")
    ...     _ = (root / "pyproject.toml").write_text('name = "cramplab"', encoding="utf-8")
    ...     print(empty, is_clone(root))
    False True
    """
    pyproject = folder / "pyproject.toml"
    if not (pyproject.is_file() and (folder / "notebooks").is_dir()):
        return False
    if not (folder / "data" / DESCRIPTOR).is_file():
        return False
    return 'name = "cramplab"' in pyproject.read_text(encoding="utf-8", errors="replace")


def source_tree() -> Path | None:
    """The clone this package is imported from (an editable install), else None.

    >>> tree = source_tree()  # None when cramplab is installed from a wheel
    >>> tree is None or tree / "src" / "cramplab" == PACKAGE_DIR
    True
    """
    root = PACKAGE_DIR.parents[1]
    return root if PACKAGE_DIR == root / "src" / "cramplab" and is_clone(root) else None


def find_clone(
    start: Path | str | None = None, *, command: str = "this command", purpose: str = "writes into"
) -> Clone:
    """The clone that holds start (default: the working directory): start itself or the
    nearest folder above it that is a clone.

    Raises CloneRequired, saying what to do, when none is; the clone an editable install was
    made from does not count (see the module's docstring).

    >>> tree = source_tree()
    >>> tree is None or find_clone(tree / "notebooks").root == tree  # any folder inside it
    True
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     try:
    ...         find_clone(folder, command="make figures")
    ...     except CloneRequired as error:
    ...         print(str(error).split(", and ")[0])
    make figures writes into a clone of the cramplab repository
    """
    start = Path.cwd() if start is None else Path(start)
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_clone(folder):
            return Clone(folder)
    raise CloneRequired(
        f"{command} {purpose} a clone of the cramplab repository, and {start} is not inside "
        "one. cd into the clone (its top folder or any folder in it) and run the command "
        "there; to get one, git clone the repository."
    )


def packaged_data_dir() -> Path:
    """The data shipped with the package: the wheel's copy, or data/ of the editable source.

    >>> (packaged_data_dir() / "datapackage.json").is_file()
    True
    >>> (packaged_data_dir() / "foods.csv").is_file()
    True
    """
    editable = source_tree()
    for candidate in (PACKAGED_DATA, editable / "data" if editable else None):
        if candidate is not None and (candidate / DESCRIPTOR).is_file():
            return candidate
    raise FileNotFoundError(
        f"cramplab's course data is missing from {PACKAGE_DIR}: reinstall the package, or give "
        f"a data folder with cramplab.load(path) or ${DATA_ENV}"
    )


def data_dir(path: Path | str | None = None) -> Path:
    """The data package to read: path if given, else $CRAMPLAB_DATA, else the packaged data.

    >>> str(data_dir("my_data"))  # a teacher's edited copy, named explicitly
    'my_data'
    >>> (data_dir() / DESCRIPTOR).is_file()
    True
    """
    if path is not None:
        return Path(path)
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    return packaged_data_dir()


def sr28_dir() -> Path:
    """The USDA SR28 release: $CRAMPLAB_SR28 if set, else ../shared/reference/usda-sr28 beside
    the clone (or the editable source tree).

    The raw release is never part of the repository; code that needs it takes a directory.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {SR28_ENV: "sr28"}):
    ...     print(sr28_dir())
    sr28
    >>> with mock.patch.dict(os.environ):
    ...     _ = os.environ.pop(SR28_ENV, None)
    ...     print(sr28_dir().name)
    usda-sr28
    """
    configured = os.environ.get(SR28_ENV)
    if configured:
        return Path(configured)
    try:
        root = find_clone().root
    except CloneRequired:  # only read here: the editable source tree may stand in
        root = source_tree() or Path.cwd()
    return root.parent / "shared" / "reference" / "usda-sr28"
