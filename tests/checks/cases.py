"""The five cases every self-check is tested with, and what every printed line must respect.

A test module per notebook (test_nNN_name.py) lists CASES and turns them into tests with
``generated_tests(CASES)``. test_core.py checks that every check of cramplab.checks has all five.
"""

from __future__ import annotations

import inspect
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from cramplab.checks import core

CODE = re.compile(r"\.\w+\(|\w\[[\"']")  # a method call or a column lookup: the solution
KINDS = ("unanswered", "wrong", "right", "equivalent", "wrong_type")


class Later:
    """A value computed when a test needs it (a menu takes seconds to solve)."""

    def __init__(self, make: Callable[[], Any]):
        self.make = make

    def __call__(self) -> Any:
        return self.make()


def value(given: Any) -> Any:
    return given() if isinstance(given, Later) else given


@dataclass
class Case:
    """Answers for one check: right, equivalent forms of it, wrong ones, wrong types."""

    check: Callable
    right: Any
    equivalent: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    wrong_type: list = field(default_factory=list)
    args: tuple = ()

    @property
    def name(self) -> str:
        return self.check.__name__


def source_lines(check: Callable) -> list[str]:
    """Lines of a check's code (and of core's) that are code, not just a message string."""
    lines = []
    for function in (inspect.unwrap(check), *_core_functions()):
        text = inspect.getsource(function)
        code_per_line: dict[int, int] = {}
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NAME, tokenize.OP, tokenize.NUMBER):
                code_per_line[token.start[0]] = code_per_line.get(token.start[0], 0) + 1
        for number, line in enumerate(text.splitlines(), start=1):
            if code_per_line.get(number, 0) >= 4:
                lines.append(line.strip())
    return lines


def _core_functions():
    return [
        f for _, f in inspect.getmembers(core, inspect.isfunction) if f.__module__ == core.__name__
    ]


def assert_short_and_clean(case: Case, message: str) -> None:
    """One line, no traceback, no line of the checker's source."""
    assert message and "\n" not in message.strip(), f"not one line: {message!r}"
    assert len(message) <= 240, f"too long for a one-line feedback: {message!r}"
    assert "Traceback" not in message and 'File "' not in message
    for line in source_lines(case.check):
        assert line not in message, f"the message shows the checker's source: {line!r}"


def printed(case: Case, answer: Any, capsys) -> str:
    """What the check prints when a cell calls it; it must return None and never raise."""
    assert case.check(answer, *case.args) is None
    out, err = capsys.readouterr()
    assert err == "", f"the check wrote to stderr: {err!r}"
    assert_short_and_clean(case, out)
    assert out.count("\n") == 1, f"one printed line, not {out!r}"
    return out.rstrip("\n")


def gives_away(message: str, right: Any, answer: Any) -> bool:
    """Whether a wrong answer's message states the right answer (or the items it lacks)."""
    if isinstance(right, list):
        given = answer if isinstance(answer, list | tuple | set) else []
        return any(repr(item) in message for item in right if item not in given)
    if isinstance(right, str):
        if " is not one of " in message:  # lists every allowed label: that is not the answer
            return False
        return repr(right) in message or f" {right} " in f" {message} "
    if isinstance(right, int | float) and not isinstance(right, bool):
        return (
            re.search(rf"(?<![\w.]){re.escape(core.shown(right))}(?![\w.])", message) is not None
        )
    return False


def generated_tests(cases: list[Case]):
    """Five parametrized tests over the cases of one notebook's checks."""

    def ids(item):
        return item[0].name

    answered = [(c, kind, a) for c in cases for kind in KINDS[1:] for a in _answers(c, kind)]

    @pytest.mark.parametrize("case", cases, ids=lambda c: c.name)
    @pytest.mark.parametrize("placeholder", [..., None], ids=["ellipsis", "None"])
    def test_unanswered_prints_one_line_and_carries_on(case, placeholder, capsys):
        out = printed(case, placeholder, capsys)
        assert out.startswith("Not answered yet: ")
        assert case.check.outcome(placeholder, *case.args).kind == core.UNANSWERED

    @pytest.mark.parametrize(
        ("case", "kind", "answer"),
        answered,
        ids=[f"{c.name}-{kind}-{i}" for i, (c, kind, _) in enumerate(answered)],
    )
    def test_each_answer_gets_its_own_feedback(case, kind, answer, capsys):
        given = value(answer)
        out = printed(case, given, capsys)  # one call: a check recomputes from the data
        if kind in ("right", "equivalent"):
            assert out.startswith(core.RIGHT_PREFIX), out
            assert len(out) > len(core.RIGHT_PREFIX) + 20, "a right answer says why it is right"
        elif kind == "wrong":
            assert out.startswith(core.WRONG_PREFIX), out
            assert not gives_away(out, _plain_right(case), given), f"gives the answer away: {out}"
            assert not CODE.search(out), f"a wrong answer's hint should not be code: {out}"
        else:
            assert out.startswith("Expected "), out

    return test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback


def _answers(case: Case, kind: str) -> list:
    return [case.right] if kind == "right" else getattr(case, kind)


def _plain_right(case: Case) -> Any:
    right = value(case.right)
    if isinstance(right, list):
        return right
    try:
        return core._plain(core._single(right))
    except Exception:
        return None
