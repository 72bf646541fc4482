"""The path a Binder or JupyterHub user takes: no make, no uv, a fresh virtual environment, pip.

A module fixture copies what a fresh clone holds (git's tracked and unignored files) to a
temporary folder, builds a wheel from it, creates a fresh virtual environment outside the
clone and runs the repository's own ``postBuild`` there, as Binder does after building
environment.yml. The third-party packages come from this test run's own environment through a
.pth file (a view of its site-packages without cramplab): the test proves the package, its data
and the install steps, not the package index, so it needs no network.

The set-up runs twice where it can: with the Python of this test run, and with the
distribution's own Python (Debian 12's /usr/bin/python3.11 is 3.11.2, whose standard library
lacks what later 3.11 releases added, such as tarfile's extraction filters). The README admits
any Python 3.11, so both must install the package and run a lesson.
"""

from __future__ import annotations

import email.parser
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from repo import CLONE, copy_clone

from cramplab.data import CourseData, read_datapackage

NOTEBOOK = "03_food_sources.ipynb"  # loads data, ranks foods, draws figures: a real lesson
DISTRIBUTION_PYTHON = Path("/usr/bin/python3.11")
# Settings a Binder user does not have: the test run's own, which must not leak in.
TEST_SETTINGS = ("CRAMPLAB_DATA", "CRAMPLAB_FIGURES_MODE", "CRAMPLAB_FIGURES_DIR", "PYTHONPATH")


def dependency_view(folder: Path) -> Path:
    """This environment's site-packages, minus cramplab itself, as a folder of symlinks."""
    folder.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        if entry.name.startswith(("cramplab", "__editable__")) or entry.suffix == ".pth":
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


def clean_environment(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_SETTINGS}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)
    # Offline: the build backend (setuptools) comes from the view, nothing from an index.
    env.update(PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def interpreter_facts(python: Path) -> tuple[str, tuple[int, int]]:
    """(resolved executable, (major, minor)) of an interpreter, asked from itself."""
    code = "import os, sys; print(os.path.realpath(sys.executable)); print(*sys.version_info[:2])"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    executable, version = out.stdout.splitlines()
    return executable, tuple(int(part) for part in version.split())


def distribution_python() -> Path:
    """The distribution's python3.11, skipping (saying why) when it cannot be tried here."""
    if not DISTRIBUTION_PYTHON.exists():
        pytest.skip(f"no distribution Python at {DISTRIBUTION_PYTHON}")
    found, version = interpreter_facts(DISTRIBUTION_PYTHON)
    running = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    if found == running:
        pytest.skip(f"{DISTRIBUTION_PYTHON} is the Python of this test run: tried already")
    if version != sys.version_info[:2]:
        # The dependency view holds this run's compiled packages, built for its Python.
        pytest.skip(f"{DISTRIBUTION_PYTHON} is Python {version}, this run {sys.version_info[:2]}")
    return DISTRIBUTION_PYTHON


@pytest.fixture(scope="module", params=["default", "distribution"], ids=["default python", "distribution python"])  # fmt: skip
def installed(request, tmp_path_factory):
    """(clone copy, wheel, fresh venv, environment) after Binder's install step ran, with
    this test run's Python or the distribution's."""
    # The wheel is built offline with this environment's build backend (the build extra).
    pytest.importorskip("setuptools", reason="no build backend (setuptools) to build the wheel")
    python = sys.executable if request.param == "default" else distribution_python()
    root = tmp_path_factory.mktemp("install")
    clone = copy_clone(root / "clone").root
    venv = root / "venv"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    view = dependency_view(root / "dependencies")
    (Path(purelib) / "cramplab_test_dependencies.pth").write_text(f"{view}\n", encoding="utf-8")
    env = clean_environment(venv)
    wheel_dir = root / "dist"
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), "."],
        cwd=clone, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    postbuild = subprocess.run(
        ["bash", str(clone / "postBuild")],
        cwd=clone, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert postbuild.returncode == 0, postbuild.stdout + postbuild.stderr
    (wheel,) = wheel_dir.glob("cramplab-*.whl")
    work = root / "work"  # where the user's notebook lives: not the clone
    work.mkdir()
    return clone, wheel, venv, env, work


def run_python(venv: Path, env: dict, cwd: Path, code: str) -> str:
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_wheel_carries_the_course_data(installed, request):
    if "distribution" in request.node.callspec.id:
        pytest.skip("the same wheel: checked once, with this run's Python")
    _, wheel, *_ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    package = read_datapackage(CLONE.data)
    expected = {"datapackage.json", *(r["path"] for r in package["resources"])}
    missing = [f for f in sorted(expected) if f"cramplab/dataset/{f}" not in names]
    assert not missing, f"the wheel lacks {missing}"
    assert not any(n.startswith(("tests/", "notebooks/", "student/", "figures/")) for n in names)
    modules = {
        f"cramplab/{p.relative_to(CLONE.root / 'src' / 'cramplab').as_posix()}"
        for p in (CLONE.root / "src" / "cramplab").rglob("*.py")
    }
    assert not modules - names, f"modules missing from the wheel: {sorted(modules - names)}"
    assert "cramplab/solved_menus.json" in names, "the wheel lacks the solved menus (plan.py)"


def test_load_works_outside_the_clone_from_the_installed_package(installed):
    _, _, venv, env, work = installed
    code = (
        "import json, cramplab, cramplab.paths as p; d = cramplab.load(); "
        "print(json.dumps({'module': cramplab.__file__, 'data': str(p.data_dir()), "
        "'rows': {n: len(getattr(d, n)) for n in d.table_names()}}))"
    )
    report = json.loads(run_python(venv, env, work, code))
    assert Path(report["module"]).is_relative_to(venv), "cramplab came from the clone"
    assert Path(report["data"]).is_relative_to(venv) and report["data"].endswith("dataset")
    assert list(report["rows"]) == CourseData.table_names()
    assert all(count > 0 for count in report["rows"].values()), report["rows"]


def test_a_notebook_runs_from_the_installed_package(installed):
    _, _, venv, env, work = installed
    shutil.copy(CLONE.notebooks / NOTEBOOK, work / NOTEBOOK)
    script = (
        "import nbformat, nbclient, sys\n"
        f"nb = nbformat.read({NOTEBOOK!r}, as_version=4)\n"
        "nbclient.NotebookClient(nb, timeout=120, kernel_name='python3').execute()\n"
        "errors = [o for c in nb.cells for o in c.get('outputs', []) if o.output_type == 'error']\n"
        "sys.exit(f'error outputs: {errors}' if errors else 0)\n"
    )
    run_python(venv, env, work, script)


def test_mermaid_unpacks_with_the_installed_python(installed, tmp_path):
    """The website's set-up step (cramplab_tools.mermaid) on this Python's standard library:
    a hand-made tarball stands in for the npm package (no network)."""
    _, _, venv, env, work = installed
    script = (
        f"import sys; sys.path.insert(0, {str(CLONE.root / 'tools')!r})\n"
        "import io, tarfile\n"
        "from pathlib import Path\n"
        "from cramplab_tools import mermaid\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "with tarfile.open(folder / 'm.tgz', 'w:gz') as archive:\n"
        "    for name in (mermaid.DIST + mermaid.ENTRY, mermaid.CHUNKS + 'chunk-A.mjs'):\n"
        "        info = tarfile.TarInfo(name)\n"
        "        info.size = 2\n"
        "        archive.addfile(info, io.BytesIO(b'//'))\n"
        "tarball = folder / 'm.tgz'\n"
        "target = mermaid.install(tarball, folder / 'mermaid', mermaid.integrity(tarball.read_bytes()))\n"
        "print(sorted(p.relative_to(target).as_posix() for p in target.rglob('*.mjs')))\n"
    )
    assert run_python(venv, env, work, script).strip() == (
        "['chunks/mermaid.esm.min/chunk-A.mjs', 'mermaid.esm.min.mjs']"
    )


# --- what a student's install holds and pulls in (issue #25) ------------------------------

# The course tooling: it runs from the clone, never from a student's install.
TOOLING = ("cramplab/course/", "cramplab/usda.py", "cramplab/atomic.py")
# Packages that serve tests, the website, browser tests, linting or building, never a lesson.
NOT_FOR_STUDENTS = (
    "pytest", "pytest-xdist", "nbval", "coverage", "frictionless", "pdfplumber", "sphinx",
    "myst-nb", "sphinx-book-theme", "sphinxcontrib-mermaid", "playwright", "ruff", "uv",
    "setuptools", "psutil",
)  # fmt: skip


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        headers = email.parser.Parser().parsestr(archive.read(metadata).decode())
    return [Requirement(line) for line in headers.get_all("Requires-Dist") or []]


def runtime(requirements: list[Requirement], extras: tuple[str, ...] = ()) -> list[Requirement]:
    """The requirements a plain `pip install` (or one with these extras) follows."""
    environments = [{"extra": extra} for extra in ("", *extras)]
    return [
        r for r in requirements
        if r.marker is None or any(r.marker.evaluate(env) for env in environments)
    ]  # fmt: skip


def closure(names: list[str]) -> set[str]:
    """Every package those requirements pull in, read from the metadata of this test run's
    environment (which holds all of requirements.lock): offline, at the locked versions."""
    seen, todo = set(), [canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen or name == "cramplab":
            continue
        seen.add(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonical(requirement.name))
    return seen


def test_the_wheel_requires_what_the_lessons_import_and_nothing_for_tests_site_or_lint(
    installed, request
):
    if "distribution" in request.node.callspec.id:
        pytest.skip("the same wheel: checked once, with this run's Python")
    _, wheel, *_ = installed
    requirements = runtime(wheel_requirements(wheel))
    names = sorted(canonical(r.name) for r in requirements)
    assert names == ["matplotlib", "numpy", "pandas", "pillow", "scipy", "seaborn"]
    pulled = closure(names)
    assert not pulled & set(NOT_FOR_STUDENTS), sorted(pulled & set(NOT_FOR_STUDENTS))
    with_lab = closure([r.name for r in runtime(wheel_requirements(wheel), ("lab",))])
    assert "jupyterlab" in with_lab
    assert not with_lab & {"pytest", "nbval", "coverage", "sphinx", "ruff", "playwright"}


def test_the_wheel_holds_no_course_tooling(installed, request):
    if "distribution" in request.node.callspec.id:
        pytest.skip("the same wheel: checked once, with this run's Python")
    _, wheel, *_ = installed
    names = zipfile.ZipFile(wheel).namelist()
    tooling = [n for n in names if n.startswith(TOOLING)]
    assert not tooling, f"course tooling in the wheel: {tooling}"
