"""The lock file and environment.yml must describe the same environment, and the Makefile
installs it from the lock."""

import re
import shutil
import subprocess
import tomllib

import pytest
from repo import CLONE

SITE_AND_BROWSER = (
    "sphinx",
    "myst-nb",
    "sphinx-book-theme",
    "sphinxcontrib-mermaid",
    "playwright",
)
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


def direct_dependencies() -> list[str]:
    project = tomllib.loads((CLONE.root / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    names = project["dependencies"] + extras["dev"] + extras["hub"]
    return [re.split(r"[<>=\[ ;]", name)[0].lower() for name in names]


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
    not_for_conda = {"uv", "setuptools", *SITE_AND_BROWSER, *HUB_ONLY, *STUDENT_IMAGE_FROM_PYPI}
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
    """`make lock` resolves the dev and hub extras: every extra's packages are in the lock."""
    makefile = (CLONE.root / "Makefile").read_text()
    extras = tomllib.loads((CLONE.root / "pyproject.toml").read_text())["project"]
    for extra in extras["optional-dependencies"]:
        assert f"--extra {extra}" in makefile, f"make lock leaves out the {extra!r} extra"


STUB_PYTHON = """#!/bin/sh
# Stands in for .venv/bin/python: records each call; uv is missing and pip refuses.
echo "$*" >> "$(dirname "$0")/calls"
case "$*" in
  "-m uv --version") exit 1 ;;
  *"-m pip install"*) echo "ERROR: stub pip: hashes do not match" >&2; exit 1 ;;
esac
exit 0
"""


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_set_up_installs_uv_from_the_lock_with_its_hashes_and_shows_pips_error(tmp_path):
    """The Makefile's first step: uv from requirements.lock, hash-checked; a failure says so."""
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(CLONE.root / name, tmp_path / name)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STUB_PYTHON)
    python.chmod(0o755)
    setup = subprocess.run(
        ["make", "--no-print-directory", ".venv/.installed"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
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
