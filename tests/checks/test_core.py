"""The self-check machinery: one short line for every answer, never a traceback.

The per-notebook modules (test_nNN_*.py) test each check with its five cases; this module
tests the helpers and proves that every check has those cases and survives any input.
"""

import decimal
import importlib
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from repo import CLONE

from cramplab import checks
from cramplab.checks import core
from cramplab_tools.notebooks import course_notebooks

from .cases import KINDS, Case, assert_short_and_clean, value

HERE = Path(__file__).parent


def all_cases() -> list[Case]:
    cases = []
    for path in sorted(HERE.glob("test_n[0-9][0-9]_*.py")):
        cases += importlib.import_module(f"{__package__}.{path.stem}").CASES
    return cases


CASES = all_cases()
CHECKS = [getattr(checks, name) for name in checks.__all__]


# --- the catalogue ------------------------------------------------------------------------------


def test_every_check_is_an_exercise_in_its_notebooks_module():
    assert CHECKS and all(core.is_exercise(check) for check in CHECKS)
    modules = [m.__name__.rsplit(".", 1)[1] for m in checks.NOTEBOOK_MODULES]
    notebooks = [p.stem for p in course_notebooks(CLONE.notebooks)]
    assert set(m[1:] for m in modules) >= set(notebooks), "a notebook without a checks module"
    assert len(checks.__all__) == len(set(checks.__all__)), "two notebooks define one name"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_every_check_is_tested_with_all_five_cases(check):
    mine = [case for case in CASES if case.check is check]
    assert mine, f"{check.__name__} has no cases in tests/checks/test_nNN_*.py"
    have = {"unanswered", "right"}
    for case in mine:
        have |= {kind for kind in KINDS[3:] if getattr(case, kind)} | (
            {"wrong"} if case.wrong else set()
        )
    assert have == set(KINDS), f"{check.__name__} lacks {set(KINDS) - have}"


@pytest.mark.parametrize("path", course_notebooks(CLONE.notebooks), ids=lambda p: p.stem)
def test_self_check_cells_call_their_notebooks_checks(path):
    module = importlib.import_module(f"cramplab.checks.n{path.stem}")
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if "self-check" in cell.get("metadata", {}).get("tags", []):
            called = re.findall(r"checks\.(\w+)\(", "".join(cell["source"]))
            assert called and all(name in module.__all__ for name in called), (
                f"{path.name}: {called} should be checks of cramplab.checks.n{path.stem}"
            )


# --- any input at all --------------------------------------------------------------------------


class Hostile:
    """An answer whose every comparison raises."""

    def __eq__(self, other):
        raise RuntimeError("no comparing me")

    __hash__ = object.__hash__

    def __float__(self):
        raise RuntimeError("no converting me")

    def __iter__(self):
        raise RuntimeError("no iterating me")


ODD_ANSWERS = {
    "dataframe": pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}),
    "empty dataframe": pd.DataFrame(),
    "series": pd.Series([1.5, np.nan]),
    "empty series": pd.Series(dtype=float),
    "dict": {"a": 1},
    "set": {1, 2},
    "nested list": [[1, 2], [3]],
    "2-d array": np.ones((2, 2)),
    "0-d array": np.array(3.0),
    "infinity": float("inf"),
    "complex": 1 + 2j,
    "bytes": b"7",
    "decimal": decimal.Decimal("1.5"),
    "pandas NA": pd.NA,
    "NaT": pd.NaT,
    "generator": (x for x in "ab"),
    "long text": "x" * 10_000,
    "function": print,
    "type": int,
    "module": np,
    "hostile": Hostile(),
    "object": object(),
}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_no_input_makes_a_check_raise(check, capsys):
    case = next(case for case in CASES if case.check is check)
    for name, answer in ODD_ANSWERS.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert check(answer, *case.args) is None, name
        out, err = capsys.readouterr()
        assert err == "" and out.count("\n") == 1, f"{name}: {out!r} {err!r}"
        assert_short_and_clean(case, out)
        assert not out.startswith("Correct!"), f"{name} passed {check.__name__}"


# --- the decorator ------------------------------------------------------------------------------


def test_outcome_is_what_the_check_prints(capsys):
    for case in CASES[:3]:
        for answer in (case.right, *case.wrong[:1], *case.wrong_type[:1], ...):
            outcome = case.check.outcome(value(answer), *case.args)
            case.check(value(answer), *case.args)
            assert capsys.readouterr().out == outcome.message + "\n"
            assert outcome.message.startswith(
                {
                    core.RIGHT: core.RIGHT_PREFIX,
                    core.WRONG: core.WRONG_PREFIX,
                    core.INVALID: "Expected ",
                    core.UNANSWERED: "Not answered yet: ",
                }[outcome.kind]
            )


def test_a_missing_name_is_unanswered_and_a_present_one_is_checked(capsys):
    right = next(case for case in CASES if case.check is checks.foods_missing_vitamin_d).right
    namespace = {"checks": checks}
    exec("checks.foods_missing_vitamin_d()", namespace)
    assert capsys.readouterr().out.startswith("Not answered yet: there is no `answer_1_3`")
    exec(f"answer_1_2 = {value(right)}\nchecks.foods_missing_vitamin_d()", namespace)
    out = capsys.readouterr().out
    assert out.startswith("Not answered yet: "), "another exercise's answer was picked up"
    exec(f"answer_1_3 = {value(right)}\nchecks.foods_missing_vitamin_d()", namespace)
    assert capsys.readouterr().out.startswith("Correct! ")


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_each_exercise_has_its_own_answer_name(check):
    number = check.exercise_number
    assert number and check.answer_name == "answer_" + number.replace(".", "_")
    assert check.answer_names[0] == check.answer_name
    assert (check.__doc__ or "").startswith(f"Exercise {number}:")


def test_no_two_checks_share_an_answer_name():
    names = [name for check in CHECKS for name in check.answer_names]
    assert len(names) == len(set(names))


def test_several_answer_names_are_read_in_order(capsys):
    @core.exercise(name=("answer_9_1", "answer_9_1b"))
    def pair(first, second=...):
        core.require(second, "answer_9_1b")
        core.right(f"{first} and {second}.")

    assert (pair.exercise_number, pair.answer_names) == ("9.1", ("answer_9_1", "answer_9_1b"))
    namespace = {"pair": pair, "answer_9_1": 1}
    exec("pair()", namespace)
    assert capsys.readouterr().out.startswith("Not answered yet: there is no `answer_9_1`")
    exec("answer_9_1b = 2\npair()", namespace)
    assert capsys.readouterr().out == "Correct! 1 and 2.\n"


def test_verdict_judges_without_printing(capsys):
    right = next(case for case in CASES if case.check is checks.foods_missing_vitamin_d).right
    check = checks.foods_missing_vitamin_d
    assert core.verdict(check, value(right))[0] == "correct"
    assert core.verdict(check, -1)[0] == "not_quite"
    assert core.verdict(check, "twenty")[0] == "wrong_type"
    assert core.verdict(check, ...)[0] == "not_answered"
    assert core.verdict(check)[0] == "not_answered"
    _, message = core.verdict(check, -1)
    assert message == check.outcome(-1).message and message.startswith("Not quite: ")
    assert capsys.readouterr().out == ""


def test_decimals_accept_the_rounding_the_message_uses():
    check = outcome_of(core.number, 131.28, what="the grams", decimals=0)
    for same in (131, 131.3, 131.28, 130.79):
        assert check.outcome(same).kind == core.RIGHT, same
    assert check.outcome(130).message.endswith("Give it to a whole number or more precisely.")


def test_a_check_that_breaks_prints_one_line(capsys):
    @core.exercise
    def broken(answer):
        {}["missing key"]

    @core.exercise(name="answer_b")
    def undecided(answer):
        pass

    broken(3)
    undecided([1])
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        core.BROKEN_MESSAGE.format(kind="the number 3", name="answer"),
        core.BROKEN_MESSAGE.format(kind="a list of 1 items", name="answer_b"),
    ]


def test_warnings_inside_a_check_are_not_shown(capsys):
    @core.exercise
    def noisy(answer):
        warnings.warn("a pandas deprecation, say", FutureWarning, stacklevel=1)
        np.log(np.array([-1.0]))
        core.right("the warning stayed inside.")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        noisy(1)
    assert capsys.readouterr() == ("Correct! the warning stayed inside.\n", "")


def test_a_second_answer_can_be_required():
    @core.exercise
    def pair(answer, answer_b=...):
        core.require(answer_b, "answer_b")
        core.right("both given.")

    assert pair.outcome(1).message == core.NOT_ANSWERED.format(name="answer_b")
    assert pair.outcome(1, 2).kind == core.RIGHT


# --- the comparison helpers ---------------------------------------------------------------------


def outcome_of(helper, *args, **kwargs) -> core.Outcome:
    @core.exercise
    def check(answer):
        helper(answer, *args, **kwargs)
        core.right("matched.")

    return check


def test_number_accepts_equivalent_numbers_and_explains_the_rest():
    check = outcome_of(core.number, 25.0, what="the share", percent=True, hints={7: "seven!"})
    for same in (25, 25.0, np.float32(25), np.int8(25), decimal.Decimal(25), [25], np.array([25])):
        assert check.outcome(same).kind == core.RIGHT, same
    assert check.outcome(0.25).message.startswith("Not quite: 0.25 is a fraction")
    assert check.outcome(7).message == "Not quite: seven!"
    assert check.outcome(8).message == "Not quite: 8 is not the share."
    assert check.outcome("25").message.endswith("drop the quotes (or convert it with float()).")
    assert check.outcome(True).kind == core.INVALID


def test_same_items_order_duplicates_and_what_is_missing():
    unordered = outcome_of(core.same_items, ["a", "b", "c"], what="the ids")
    ordered = outcome_of(core.same_items, ["a", "b", "c"], what="the ids", ordered=True)
    assert unordered.outcome(("c", "a", "b")).kind == core.RIGHT
    assert ordered.outcome(["c", "a", "b"]).message.endswith("give them in alphabetical order.")
    assert ordered.outcome(pd.Index(["a", "b", "c"])).kind == core.RIGHT
    assert unordered.outcome(["a", "a", "b", "c"]).message.startswith("Not quite: 'a' appears")
    message = unordered.outcome(["a", "x"]).message
    assert message == "Not quite: 'x' should not be in the ids; 2 items are missing."


def test_one_of_takes_the_label_out_of_a_one_element_container():
    check = outcome_of(core.one_of, ["red", "green"], what="a colour")
    for same in ("red", np.str_("red"), ["red"], pd.Index(["red"]), pd.Series(["red"])):
        assert check.outcome(same).kind == core.RIGHT
    assert check.outcome("blue").message == (
        "Not quite: 'blue' is not one of 'red', 'green'; check the spelling."
    )
    assert check.outcome(1).message == "Expected a colour as text, got the number 1."
