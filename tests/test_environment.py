"""The lock file and environment.yml must describe the same environment, and the Makefile
installs it from the lock."""

import os
import re
import shutil
import subprocess
import tomllib

import pytest
from repo import CLONE

# The hub extra (deploy/, the hub test): what only the hub process or the test needs stays out
# of environment.yml; the students' image gets JupyterHub's single-user server and nbgitpuller
# from PyPI, in environment.yml's pip section (deploy/kubernetes builds it with repo2docker).
HUB_ONLY = (
    "jupyterhub-nativeauthenticator",
    "jupyterhub-idle-culler",
    "jupyterhub-systemdspawner",
    "requests",
    "websocket-client",
    "pyyaml",
)
STUDENT_IMAGE_FROM_PYPI = ("jupyterhub", "nbgitpuller")


def locked_versions() -> dict[str, str]:
    text = (CLONE.root / "requirements.lock").read_text()
    return {
        name.lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, flags=re.M)
    }


def conda_pins() -> dict[str, str]:
    text = (CLONE.root / "environment.yml").read_text()
    return {
        name.lower(): version
        for name, version in re.findall(r"^\s+- ([A-Za-z0-9_.\-]+)=([^\s=]+)\s*$", text, re.M)
    }


def pip_pins() -> dict[str, str]:
    """environment.yml's `pip:` section: name==version lines."""
    text = (CLONE.root / "environment.yml").read_text()
    return {
        name.lower(): version
        for name, version in re.findall(r"^\s+- ([A-Za-z0-9_.\-]+)==(\S+)\s*$", text, re.M)
    }


def requirement_names(requirements: list[str]) -> list[str]:
    """Package names of requirement strings, leaving out cramplab's own extras (dev's list)."""
    names = [re.split(r"[<>=\[ ;]", r)[0].lower() for r in requirements]
    return [name for name in names if name != "cramplab"]


def extras() -> dict[str, list[str]]:
    project = tomllib.loads((CLONE.root / "pyproject.toml").read_text())["project"]
    return project["optional-dependencies"]


def direct_dependencies() -> list[str]:
    """The runtime requirements and every extra's: what requirements.lock must pin."""
    project = tomllib.loads((CLONE.root / "pyproject.toml").read_text())["project"]
    names = requirement_names(project["dependencies"])
    for requirements in extras().values():
        names += [n for n in requirement_names(requirements) if n not in names]
    return names


def test_every_locked_line_is_an_exact_pin():
    lines = (CLONE.root / "requirements.lock").read_text().splitlines()
    requirements = [ln for ln in lines if ln and not ln.startswith((" ", "#"))]
    loose = [ln for ln in requirements if "==" not in ln]
    assert requirements, "requirements.lock lists no packages"
    assert not loose, f"requirements.lock has unpinned lines: {loose}"


def test_direct_dependencies_are_locked():
    locked = locked_versions()
    missing = [name for name in direct_dependencies() if name not in locked]
    assert not missing, f"in pyproject.toml but not in requirements.lock: {missing}"


def test_environment_yml_pins_the_locked_versions():
    locked, pins = locked_versions(), conda_pins()
    assert pins.pop("python") == "3.11"
    # uv only bootstraps the venv and setuptools only builds the wheel offline in a test;
    # conda users need neither pinned (conda's Python brings its own setuptools). The site
    # builder and Playwright serve `make site` and the browser tests, which run in the
    # Makefile's venv; Binder and conda users read and run notebooks, so they are left out.
    # The course extra is the maintainers' tooling (running notebooks, bench): the Makefile's venv.
    not_for_conda = {
        *requirement_names(extras()["build"]),
        *requirement_names(extras()["site"]),
        *requirement_names(extras()["browser"]),
        *requirement_names(extras()["course"]),
        *HUB_ONLY,
        *STUDENT_IMAGE_FROM_PYPI,
    }
    expected = [name for name in direct_dependencies() if name not in not_for_conda]
    missing = [name for name in expected if name not in pins]
    assert not missing, f"environment.yml does not pin {missing}"
    differ = {name: (pins[name], locked[name]) for name in pins if pins[name] != locked.get(name)}
    assert not differ, f"environment.yml and requirements.lock disagree (yml, lock): {differ}"


def test_environment_yml_gives_a_hub_image_the_locked_single_user_server_from_pypi():
    locked, pins = locked_versions(), pip_pins()
    assert set(STUDENT_IMAGE_FROM_PYPI) <= set(direct_dependencies())
    assert pins == {name: locked[name] for name in STUDENT_IMAGE_FROM_PYPI}


def test_the_lock_is_made_with_every_extra():
    """`make lock` resolves every extra: each extra's packages are in the lock."""
    makefile = (CLONE.root / "Makefile").read_text()
    for extra in extras():
        assert f"--extra {extra}" in makefile, f"make lock leaves out the {extra!r} extra"


def test_dev_is_every_extra_but_the_hubs():
    """`make` installs the lock, whole; `pip install -e '.[dev]'` gets the same packages but the
    hub's (which a class's own hub needs, not a maintainer)."""
    (dev,) = extras()["dev"]
    named = set(re.fullmatch(r"cramplab\[(.*)\]", dev).group(1).split(","))
    assert named == set(extras()) - {"dev", "hub"}


STUB_PYTHON = """#!/bin/sh
# Stands in for .venv/bin/python: records each call; uv is missing and pip refuses.
echo "$*" >> "$(dirname "$0")/calls"
case "$*" in
  "-m uv --version") exit 1 ;;
  *"-m pip install"*) echo "ERROR: stub pip: hashes do not match" >&2; exit 1 ;;
esac
exit 0
"""


def users_shell() -> dict[str, str]:
    """The environment of a user's shell: not inside `make test`, whose command-line variables
    (PYTHON=... among them) would reach these makes through MAKEFLAGS."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MAKE", "CRAMPLAB_")) and k not in ("MFLAGS", "PYTHON")
    }


def stub_clone(folder):
    """The files the set-up reads, and a stub .venv/bin/python; returns the stub."""
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(CLONE.root / name, folder / name)
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STUB_PYTHON)
    python.chmod(0o755)
    return python


def make(folder, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=folder, capture_output=True, text=True, check=False, env=users_shell(),
    )  # fmt: skip


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_set_up_installs_uv_from_the_lock_with_its_hashes_and_shows_pips_error(tmp_path):
    """The Makefile's first step: uv from requirements.lock, hash-checked; a failure says so."""
    python = stub_clone(tmp_path)
    setup = make(tmp_path, ".venv/.installed")
    version = locked_versions()["uv"]
    assert setup.returncode != 0
    assert "ERROR: stub pip: hashes do not match" in setup.stderr  # pip's own words, shown
    assert (
        f"error: could not install uv {version} from requirements.lock into .venv "
        "(see pip's message above)" in setup.stderr
    )
    assert "Installing the locked environment" not in setup.stdout  # it stopped there
    assert not (tmp_path / ".venv" / ".installed").exists()
    calls = (python.parent / "calls").read_text().splitlines()
    assert any("--require-hashes -r .venv/uv.txt" in call for call in calls), calls
    requirement = (tmp_path / ".venv" / "uv.txt").read_text()
    assert requirement.startswith(f"uv=={version} \\")
    assert requirement.count("--hash=sha256:") >= 2
    assert "==" not in requirement.replace(f"uv=={version}", "")  # uv alone, not what follows


# An interpreter named by PYTHON=: answers the set-up's question about itself, and makes a
# "venv" whose python is the stub above (so the set-up stops at uv, before any download).
NAMED_PYTHON = """#!/bin/sh
case "$1" in
  -c) echo "{facts}" ;;
  -m) mkdir -p "$3/bin" && cp "$(dirname "$0")/venv-python" "$3/bin/python" ;;
esac
"""


def named_python(folder, facts: str):
    """A stub interpreter at folder/python that reports facts ('path version new-enough')."""
    folder.mkdir()
    python = folder / "python"
    python.write_text(NAMED_PYTHON.format(facts=facts))
    (folder / "venv-python").write_text(STUB_PYTHON)
    for stub in (python, folder / "venv-python"):
        stub.chmod(0o755)
    return python


def installed_stamp(clone, record: str) -> None:
    """A finished set-up: the stamp, newer than what it depends on, records its Python."""
    stamp = clone / ".venv" / ".installed"
    stamp.write_text(f"python: {record}\n")
    for name in ("requirements.lock", "pyproject.toml"):
        os.utime(clone / name, (1, 1))


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_python_naming_another_interpreter_rebuilds_the_venv_and_says_so(tmp_path):
    clone = tmp_path / "clone"
    clone.mkdir()
    stub_clone(clone)
    installed_stamp(clone, "/usr/bin/python3.11 3.11.2")
    (clone / ".venv" / "made-by-the-old-python").touch()
    other = named_python(tmp_path / "py313", "/opt/python3.13/bin/python3.13 3.13.1 True")
    setup = make(clone, ".venv/.installed", f"PYTHON={other}")
    assert setup.stdout.splitlines()[0] == (
        f"Rebuilding .venv with PYTHON={other} (Python 3.13.1, /opt/python3.13/bin/python3.13): "
        "it was made with Python 3.11.2 (/usr/bin/python3.11)"
    )
    assert not (clone / ".venv" / "made-by-the-old-python").exists()  # a new venv
    assert (clone / ".venv" / "bin" / "python").read_text() == STUB_PYTHON
    assert setup.returncode != 0 and "could not install uv" in setup.stderr  # the stub's end


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_venv_is_reused_without_python_or_with_the_same_one(tmp_path):
    clone = tmp_path / "clone"
    clone.mkdir()
    stub_clone(clone)
    installed_stamp(clone, "/opt/python3.13/bin/python3.13 3.13.1")
    same = named_python(tmp_path / "py313", "/opt/python3.13/bin/python3.13 3.13.1 True")
    for arguments in ([], [f"PYTHON={same}"]):
        setup = make(clone, ".venv/.installed", *arguments)
        assert setup.returncode == 0, setup.stderr
        assert "is up to date" in setup.stdout, arguments


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    ("facts", "error"),
    [
        ("/opt/py/bin/python3.10 3.10.12 False", "cramplab needs Python 3.11 or newer; PYTHON={python} is Python 3.10.12 (/opt/py/bin/python3.10)"),
        (None, "PYTHON={python} is not a Python that runs here (cramplab needs Python 3.11 or newer)"),
    ],
    ids=["too old", "missing"],
)  # fmt: skip
def test_a_python_too_old_or_missing_stops_with_one_line_before_anything_installs(
    tmp_path, facts, error
):
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(CLONE.root / name, clone / name)
    python = named_python(tmp_path / "py", facts) if facts else tmp_path / "no-such-python"
    setup = make(clone, "test", f"PYTHON={python}")
    assert setup.returncode != 0
    assert setup.stderr.splitlines()[0] == f"error: {error.format(python=python)}"
    assert not (clone / ".venv").exists()


def test_constraints_txt_is_the_lock_without_hashes():
    """README's JupyterHub recipe (`pip install -c constraints.txt ".[lab]"`) pins what the lock
    pins: make lock writes both."""
    lines = (CLONE.root / "constraints.txt").read_text().splitlines()
    pinned = {
        name.lower(): version
        for name, version in (re.match(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", ln).groups()
                              for ln in lines if ln and not ln.startswith("#"))
    }  # fmt: skip
    assert pinned == locked_versions()
    assert not any("--hash" in ln for ln in lines)
