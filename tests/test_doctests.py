"""The lesson helpers' examples: each docstring's `>>>` lines run as doctests in `make test`, and
each public function a notebook calls (or any function of a module done whole) shows one.

The lesson helpers are the package a student installs: every module of cramplab but the
course tooling (tools/MOVE_PLAN.md moves that out of the package).
"""

from __future__ import annotations

import doctest
import functools
import importlib
import inspect
import json
import pkgutil
import re

import pytest
from repo import CLONE

import cramplab
import cramplab.data
from cramplab.data import load

TOOLING = ("cramplab_tools", "cramplab_tools.usda", "cramplab_tools.atomic")
# Modules whose every public function has an example (the rule for all, once they are done).
DONE_WHOLE = (
    "cramplab.analysis",
    "cramplab.claims",
    "cramplab.data",
    "cramplab.data_rules",
    "cramplab.diets",
    "cramplab.figure_texts",
    "cramplab.paths",
    "cramplab.plan",
    "cramplab.plotting",
    "cramplab.sr28",
    "cramplab.units",
)
# Functions a notebook calls that have no example yet: this list only shrinks (a test fails
# when one gains an example and is still listed). Empty now: every one has an example.
AWAITING_AN_EXAMPLE: dict[str, set[str]] = {}


def lesson_modules() -> list[str]:
    names = ["cramplab"]
    for info in pkgutil.walk_packages(cramplab.__path__, "cramplab."):
        if not info.name.startswith(TOOLING) and not info.name.endswith("__main__"):
            names.append(info.name)
    return sorted(names)


def public_functions(module) -> dict[str, object]:
    exported = getattr(module, "__all__", None)
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and obj.__module__ == module.__name__
        and not name.startswith("_")
        and (exported is None or name in exported)
    }


def has_example(function) -> bool:
    return ">>>" in (inspect.getdoc(function) or "")


def called_by_notebooks() -> dict[str, set[str]]:
    """module -> the functions the instructor notebooks' code calls as `module.function(`."""
    called: dict[str, set[str]] = {}
    for path in sorted(CLONE.notebooks.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for module, function in re.findall(r"\b(analysis|claims|plan|units|plotting|diets|paths)\.([a-z_]\w*)\(", code):  # fmt: skip
            called.setdefault(f"cramplab.{module}", set()).add(function)
        if re.search(r"\bcramplab\.load\(", code):
            called.setdefault("cramplab.data", set()).add("load")
    return called


@functools.cache
def course_data():
    return load()  # the real one, imported before any patch


@pytest.mark.parametrize("name", lesson_modules())
def test_the_examples_in_the_docstrings_run(name, monkeypatch):
    # The examples start from `cramplab.load()`, as a student would; the shipped data is read
    # once for all of them (the examples only read it).
    monkeypatch.setattr(cramplab.data, "load", lambda data_dir=None: (
        course_data() if data_dir is None else load(data_dir)))  # fmt: skip
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    failed, _ = runner.summarize(verbose=False)
    assert failed == 0, f"{failed} example(s) of {name} failed (python -m doctest -v shows them)"


def required_examples() -> dict[str, set[str]]:
    required = {m: set(fs) for m, fs in called_by_notebooks().items()}
    for name in DONE_WHOLE:
        required.setdefault(name, set()).update(public_functions(importlib.import_module(name)))
    return required


def test_every_public_lesson_function_a_notebook_calls_shows_an_example():
    missing = {}
    for name, functions in required_examples().items():
        module = importlib.import_module(name)
        found = public_functions(module)
        lacking = {f for f in functions if f in found and not has_example(found[f])}
        if lacking:
            missing[name] = lacking
    not_listed = {m: fs - AWAITING_AN_EXAMPLE.get(m, set()) for m, fs in missing.items()}
    assert not any(not_listed.values()), (
        f"public lesson functions without an example: {not_listed}"
    )
    done = {m: fs - missing.get(m, set()) for m, fs in AWAITING_AN_EXAMPLE.items()}
    assert not any(done.values()), f"these have an example now: take them off the list: {done}"
