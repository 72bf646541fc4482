"""The lock file and environment.yml must describe the same environment."""

import re
import tomllib

from repo import CLONE

SITE_AND_BROWSER = (
    "sphinx",
    "myst-nb",
    "sphinx-book-theme",
    "sphinxcontrib-mermaid",
    "playwright",
)


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


def direct_dependencies() -> list[str]:
    project = tomllib.loads((CLONE.root / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + project["optional-dependencies"]["dev"]
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
    not_for_conda = {"uv", "setuptools", *SITE_AND_BROWSER}
    expected = [name for name in direct_dependencies() if name not in not_for_conda]
    missing = [name for name in expected if name not in pins]
    assert not missing, f"environment.yml does not pin {missing}"
    differ = {name: (pins[name], locked[name]) for name in pins if pins[name] != locked.get(name)}
    assert not differ, f"environment.yml and requirements.lock disagree (yml, lock): {differ}"
