"""What every self-check shares: one short printed line for every answer, never a traceback.

A self-check is a function of the student's answer, decorated with ``@exercise``. It lives in
the module of its notebook (``cramplab/checks/nNN_name.py``) and is re-exported by
``cramplab.checks``, so a notebook's self-check cell reads ``checks.<name>(answer)``::

    from cramplab import analysis
    from cramplab.checks.core import data, exercise, number, right

    @exercise
    def foods_missing_vitamin_d(answer):
        \"\"\"Exercise 1.3: how many foods have no vitamin D value?\"\"\"
        wide = analysis.nutrient_matrix(data())
        expected = int(wide["vitamin_d"].isna().sum())
        number(answer, expected, what="the number of foods with no vitamin D value",
               hints={0: "nothing equals NaN, so == cannot find the blanks."})
        right(f"{expected} of {len(wide)} foods have a blank for vitamin D: not analysed.")

Inside a check:

* recompute the expected answer from ``data()`` with the package's tested helpers, never a
  hard-coded value, so a data change cannot leave a stale answer behind;
* compare with ``number``, ``same_items`` or ``one_of``: each returns the answer in a plain
  form (a float, a list, a str) when it is acceptable, equivalent forms included (int, float
  or NumPy number; list, tuple, set, pandas Index or Series), and otherwise ends the check
  with a short message;
* end the check yourself with ``wrong(message)`` (a wrong answer: say what to look at, not
  what to type) or ``invalid(message)`` (the wrong kind of value), and always with
  ``right(why)``: why the answer is right, not only that it is.

``@exercise`` turns every outcome into ONE printed line and returns None, so a cell shows
nothing else and Run All goes on to the next cell:

    unanswered  "Not answered yet: ..."   answer is ... or None, or the name does not exist
    wrong       "Not quite: ..."          wrong(message), or a helper's message
    wrong type  "Expected ..."            invalid(message), or a helper's message
    right       "Correct! ..."            right(why)
    broken      "The self-check could not read ..."  anything else the check raises

A check never raises for any student input and prints no warning.

Each exercise has its own answer variable, ``answer_<notebook>_<exercise>`` (``answer_3_1``
for Exercise 3.1), named in the decorator: ``@exercise(name="answer_3_1")`` (a tuple of names
for an exercise with several answers). A self-check cell calls the check WITHOUT the answer::

    from cramplab import checks
    checks.potassium_leader_per_serving()  # reads answer_3_1

and the check looks the name up in the notebook itself, so the cell works from any starting
point: run first in a fresh kernel, it says "Not answered yet ... run the cells above"
instead of raising NameError, and it can never pick up another exercise's answer. The
decorated check carries ``answer_name`` ("answer_3_1"), ``answer_names`` (all of them) and
``exercise_number`` ("3.1").

Tests read the outcome without printing: ``check.outcome(answer) -> Outcome(kind, message)``;
graders call ``verdict(check, answer)`` (see there). A check taking more than the answer gets
it after the answer (``checks.menu_without(answer, "beet_greens_cooked")``, or by keyword from
a cell, ``checks.menu_without(food_id="beet_greens_cooked")``). Every check is tested with five cases in tests/checks/test_nNN_name.py
(unanswered, right, an equivalent form, wrong, a wrong type: see tests/checks/cases.py);
tests/checks/test_core.py fails for a check that lacks one, or that any odd input makes raise.
"""

from __future__ import annotations

import collections.abc
import decimal
import functools
import math
import numbers
import sys
import warnings
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from cramplab.data import CourseData, load

UNANSWERED, WRONG, INVALID, RIGHT, BROKEN = "unanswered", "wrong", "invalid", "right", "broken"
RIGHT_PREFIX = "Correct! "
WRONG_PREFIX = "Not quite: "
NOT_ANSWERED = (
    "Not answered yet: replace the ... in `{name} = ...` above with your code, "
    "run that cell, then this one."
)
NO_SUCH_NAME = (
    "Not answered yet: there is no `{name}` in this notebook yet. Started here? "
    "Run the cells above, then your answer cell, then this one."
)
BROKEN_MESSAGE = (
    "The self-check could not read this answer ({kind}); "
    "check what the exercise asks you to store in `{name}`."
)
_MISSING = object()
_REAL = numbers.Real | np.integer | np.floating | decimal.Decimal
_SHOWN_CHARS = 40


@dataclass(frozen=True)
class Outcome:
    """What a check decided: kind (one of the five above) and the line it prints."""

    kind: str
    message: str


class _Done(Exception):
    """Ends a check with its outcome; only @exercise catches it."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.outcome = Outcome(kind, message)


@functools.cache
def data() -> CourseData:
    """The course data, loaded once per kernel."""
    return load()


# --- ending a check ---------------------------------------------------------------------------


def right(why: str) -> NoReturn:
    """End the check: the answer is right, and why ("Correct! " is added)."""
    raise _Done(RIGHT, RIGHT_PREFIX + why)


def wrong(message: str) -> NoReturn:
    """End the check: a wrong answer. Say what to look at, never what to type."""
    raise _Done(WRONG, WRONG_PREFIX + message)


def invalid(message: str) -> NoReturn:
    """End the check: the answer is the wrong kind of value (text for a number, ...)."""
    raise _Done(INVALID, message)


def unanswered(name: str = "answer") -> NoReturn:
    """End the check: `name` still holds the placeholder (for a second answer, say)."""
    raise _Done(UNANSWERED, NOT_ANSWERED.format(name=name))


def is_placeholder(value: Any) -> bool:
    """True for the ... of a placeholder (and None, a cell that forgot to assign)."""
    return value is ... or value is None


def require(value: Any, name: str) -> Any:
    """A second answer, e.g. require(answer_b, "answer_b"): unanswered if a placeholder."""
    if is_placeholder(value):
        unanswered(name)
    return value


# --- describing what the student gave -----------------------------------------------------------


def shown(value: Any) -> str:
    """A short rendering of a student's value for a message (numbers with :g, text quoted)."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Real | np.number):
        return f"{float(value):g}"
    if isinstance(value, str):
        value = value if len(value) <= _SHOWN_CHARS else value[: _SHOWN_CHARS - 3] + "..."
        return repr(value)
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def kind(value: Any) -> str:
    """What a value is, in words a student recognises: 'a DataFrame (a table)', 'the text 'x''."""
    if isinstance(value, str | np.str_):
        return f"the text {shown(str(value))}"
    if isinstance(value, bool | np.bool_):
        return f"{bool(value)} (a True/False value)"
    if isinstance(value, pd.DataFrame):
        rows, columns = value.shape
        return f"a DataFrame (a table of {_count(rows, 'row')} and {_count(columns, 'column')})"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values"
    if isinstance(value, pd.Index):
        return f"an Index of {len(value)} values"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, dict):
        return f"a dict of {len(value)} entries"
    if isinstance(value, list | tuple | set | frozenset):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, numbers.Number | np.number):
        return f"the number {shown(value)}"
    if callable(value):
        return "a function or method (did you forget the brackets `()` that call it?)"
    return f"a {type(value).__name__}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _plain(item: Any) -> Any:
    """NumPy scalars as Python ones, str subclasses as str: what comparisons should see."""
    if isinstance(item, np.generic):
        item = item.item()
    if isinstance(item, str):
        return str(item)
    return item


def _single(value: Any) -> Any:
    """The one value inside a one-element list, tuple, array, Index, Series or DataFrame."""
    if isinstance(value, pd.DataFrame):
        return value.iat[0, 0] if value.shape == (1, 1) else value
    if isinstance(value, pd.Series | pd.Index):
        return value.array[0] if len(value) == 1 else value
    if isinstance(value, list | tuple):
        return value[0] if len(value) == 1 else value
    if isinstance(value, np.ndarray):
        return value.reshape(-1)[0] if value.size == 1 else value
    return value


# --- comparing ---------------------------------------------------------------------------------


def as_number(answer: Any, *, what: str) -> float:
    """The answer as a float, or invalid(...) saying what was given instead of a number.

    int, float, NumPy numbers, Fraction/Decimal and a one-element list, array or Series are
    all the same number; text, True/False, NaN and collections are not numbers.
    """
    value = _single(answer)
    if isinstance(value, str | np.str_):
        try:
            float(value)
        except ValueError:
            invalid(f"Expected a number for {what}, got {kind(value)}: store a number.")
        invalid(
            f"Expected a number for {what}, got {kind(value)}: "
            "drop the quotes (or convert it with float())."
        )
    if isinstance(value, bool | np.bool_) or not isinstance(value, _REAL):
        invalid(f"Expected a number for {what}, got {kind(answer)}.")
    number_ = float(value)
    if math.isnan(number_):
        invalid(f"Expected a number for {what}, got NaN (a missing value).")
    return number_


def _close(a: float, b: float, rel: float, tol: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=tol)


def number(
    answer: Any,
    expected: float,
    *,
    what: str,
    hints: collections.abc.Mapping | collections.abc.Iterable = (),
    hint: str = "",
    rel: float = 1e-9,
    tol: float = 1e-9,
    percent: bool = False,
    decimals: int | None = None,
) -> float:
    """Accept a number equal to expected (within rel, relative, or tol, absolute).

    decimals: the precision the prose and the "Correct!" message round to; any value that
    rounds as they do is right (decimals=0 accepts 131 for 131.28), and a wrong value is told
    the precision wanted.

    what names the quantity ("the number of foods with no vitamin D value"). hints maps
    telling wrong values (a count with the zeros, a rank on the other basis) to the message
    each deserves; hint is said for any other wrong value. percent=True: a fraction given
    where a percentage is asked (0.25 for 25%) gets its own message.
    """
    value = as_number(answer, what=what)
    if decimals is not None:
        tol = max(tol, 0.5 * 10.0**-decimals + 1e-9)
        places = "a whole number" if decimals == 0 else f"{decimals} decimals"
        hint = (hint + " " if hint else "") + f"Give it to {places} or more precisely."
    if _close(value, expected, rel, tol):
        return value
    if percent and _close(value * 100, expected, rel, tol):
        wrong(f"{shown(value)} is a fraction; give {what} as a percentage (0.25 is 25%).")
    pairs = hints.items() if isinstance(hints, collections.abc.Mapping) else hints
    for wrong_value, message in pairs:
        if _close(value, float(wrong_value), rel, tol):
            wrong(message)
    wrong(f"{shown(value)} is not {what}." + (f" {hint}" if hint else ""))


def as_items(answer: Any, *, what: str) -> list:
    """The answer as a list: a list, tuple, set, 1-D array, pandas Index or Series (values).

    Text, a DataFrame, a dict, a Series of True/False and anything else that is not a
    collection of items get invalid(...) with what was given instead.
    """
    if isinstance(answer, str | np.str_ | bytes):
        invalid(f"Expected a list for {what}, got {kind(answer)}: put each item in a list.")
    if isinstance(answer, pd.DataFrame | dict):
        invalid(f"Expected a list for {what}, got {kind(answer)}: give the items themselves.")
    if isinstance(answer, pd.Series):
        if pd.api.types.is_bool_dtype(answer.dtype):
            invalid(
                f"Expected a list for {what}, got a Series of True/False values: "
                "keep the labels where it is True, not the True/False values."
            )
        if not (pd.api.types.is_numeric_dtype(answer.dtype) and _labelled_by_text(answer)):
            return [_plain(item) for item in answer.array]
        invalid(
            f"Expected a list for {what}, got a Series of numbers: "
            "the items you want are its labels (its index), not its values."
        )
    if isinstance(answer, np.ndarray) and answer.ndim != 1:
        invalid(f"Expected a list for {what}, got {kind(answer)}.")
    if not isinstance(answer, collections.abc.Iterable) or isinstance(
        answer, collections.abc.Mapping
    ):
        invalid(f"Expected a list for {what}, got {kind(answer)}.")
    items = [_plain(item) for item in answer]
    if not all(isinstance(item, collections.abc.Hashable) for item in items):
        invalid(f"Expected a list of single items for {what}, got a list of lists.")
    return items


def _labelled_by_text(series: pd.Series) -> bool:
    """True when a Series is indexed by text labels (then its labels are likely the items)."""
    return pd.api.types.is_object_dtype(series.index.dtype) or pd.api.types.is_string_dtype(
        series.index.dtype
    )


def same_items(
    answer: Any,
    expected: collections.abc.Iterable,
    *,
    what: str,
    ordered: bool = False,
    order: str = "in alphabetical order",
    hints: collections.abc.Iterable[tuple[collections.abc.Callable[[list], bool], str]] = (),
    hint: str = "",
) -> list:
    """Accept the same items as expected, each once; in the same order if ordered=True.

    hints pairs a test of the wrong items with the message it deserves, e.g.
    (lambda items: "energy" in items, "energy is context, not a cramp nutrient."); the first
    test that holds wins. Otherwise the message names the items that should not be there
    (the student's own) and only counts the missing ones (naming them gives the answer away),
    then adds hint.
    """
    items = as_items(answer, what=what)
    expected = [_plain(item) for item in expected]
    same = collections.Counter(items) == collections.Counter(expected)
    if items == expected or (same and not ordered):
        return items
    repeated = [item for item, count in collections.Counter(items).items() if count > 1]
    if repeated:
        wrong(f"{shown(repeated[0])} appears more than once in {what}; list each item once.")
    if same:
        wrong(f"the right items for {what}, but give them {order}.")
    for test, message in hints:
        if test(items):
            wrong(message)
    extra = [item for item in items if item not in expected]
    missing = sum(item not in items for item in expected)
    parts = []
    if extra:
        more = f" and {len(extra) - 3} more" if len(extra) > 3 else ""
        parts.append(
            f"{', '.join(shown(item) for item in extra[:3])}{more} should not be in {what}"
        )
    if missing:
        parts.append(f"{missing} {'item is' if missing == 1 else 'items are'} missing")
    wrong("; ".join(parts) + "." + (f" {hint}" if hint else ""))


def one_of(
    answer: Any, allowed: collections.abc.Iterable, *, what: str, allowed_name: str = ""
) -> str:
    """The answer as one text label from allowed (a food_id, a verdict ...), else a message.

    A one-element list, Index or Series holding the label counts as the label itself.
    allowed_name describes the allowed values ("a food_id of data.foods") when listing them
    would be too long; without it, up to six allowed values are listed.
    """
    value = _plain(_single(answer))
    allowed = [_plain(item) for item in allowed]
    if not isinstance(value, str):
        invalid(f"Expected {what} as text, got {kind(answer)}.")
    if value not in allowed:
        listed = allowed_name or ", ".join(repr(item) for item in allowed[:6])
        wrong(f"{shown(value)} is not one of {listed}; check the spelling.")
    return value


# --- the decorator -------------------------------------------------------------------------------


def _run(check, name: str, args: tuple, kwargs: dict) -> Outcome:
    answer = args[0] if args else _MISSING
    if answer is _MISSING:
        return Outcome(UNANSWERED, NO_SUCH_NAME.format(name=name))
    if is_placeholder(answer):
        return Outcome(UNANSWERED, NOT_ANSWERED.format(name=name))
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            check(*args, **kwargs)
    except _Done as done:
        return done.outcome
    except Exception:  # any student input: one line, never a traceback
        pass
    try:
        what = kind(answer)
    except Exception:
        what = "an unusual value"
    return Outcome(BROKEN, BROKEN_MESSAGE.format(kind=what, name=name))


def exercise_number(name: str) -> str:
    """The exercise an answer name belongs to: "answer_3_1" -> "3.1" ("" for another name)."""
    parts = name.split("_")
    if len(parts) >= 3 and parts[0] == "answer" and all(p.isdigit() for p in parts[1:3]):
        return f"{int(parts[1])}.{int(parts[2])}"
    return ""


def exercise(check=None, *, name: str | tuple[str, ...] = "answer"):
    """Make a self-check from a function of the answer (see the module's docstring).

    name is the variable the exercise asks for (a tuple for several, checked in that order):
    the one the messages mention, and the one looked up in the notebook when the check is
    called without an answer. The check gets the attributes answer_name (the first name),
    answer_names (all) and exercise_number ("3.1" for answer_3_1).
    """
    names = (name,) if isinstance(name, str) else tuple(name)

    def decorate(check):
        @functools.wraps(check)
        def self_check(*args, **kwargs) -> None:
            if not args:  # the cell names no answer: read it from the notebook, by name
                caller = sys._getframe(1).f_globals
                args = _looked_up(caller, names)
            print(_run(check, names[0], args, kwargs).message)

        def outcome(*args, **kwargs) -> Outcome:
            return _run(check, names[0], args, kwargs)

        self_check.outcome = outcome
        self_check.answer_name = names[0]
        self_check.answer_names = names
        self_check.exercise_number = exercise_number(names[0])
        self_check.is_exercise = True
        return self_check

    return decorate if check is None else decorate(check)


def _looked_up(namespace: dict, names: tuple[str, ...]) -> tuple:
    """The answers a notebook holds under names; () as soon as one is missing."""
    if any(n not in namespace for n in names):
        return ()
    return tuple(namespace[n] for n in names)


# What verdict() returns for each outcome: the words a grader or a report shows.
VERDICTS = {
    RIGHT: "correct",
    WRONG: "not_quite",
    UNANSWERED: "not_answered",
    INVALID: "wrong_type",
    BROKEN: "wrong_type",
}


def verdict(check, *values: Any, **kwargs: Any) -> tuple[str, str]:
    """Judge answers without printing: (kind, message) for a grader.

    kind is "correct", "not_quite", "not_answered" or "wrong_type" (an answer the check could
    not read counts as the wrong type); message is the line the self-check would print.
    values are the exercise's answers in the order of check.answer_names (none, or the
    placeholder ..., is "not_answered"); kwargs are the check's other arguments::

        verdict(checks.potassium_leader_per_serving, "banana") -> ("not_quite", "Not quite: ...")
    """
    result = check.outcome(*values, **kwargs)
    return VERDICTS[result.kind], result.message


def is_exercise(value: Any) -> bool:
    """True for a function made by @exercise."""
    return callable(value) and getattr(value, "is_exercise", False) is True
