"""The rules engine on hand-made tables: which row and rule it reports, and how it says so.

The rules of the real tables are each shown refusing bad data in tests/test_data.py.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cramplab import data_rules
from cramplab.data_rules import (
    EMPTY,
    Flagged,
    Rule,
    check_order,
    control_character,
    first_broken,
    measure_ml,
    plain,
)

BANDS = pd.DataFrame(
    {"stage": ["a", "b", "c"], "low": [1000, 1600, 900], "high": [1400, 1400, 800]}
)
BANDS_AS_WRITTEN = BANDS.astype(str)


def check(rules, table=BANDS, raw=BANDS_AS_WRITTEN, others=None):
    return first_broken("bands", rules, {"bands": table, **(others or {})}, raw)


LOW_ABOVE_HIGH = Rule(
    "low", "no more than high ({high})", lambda t: t.this["low"] > t.this["high"]
)
HIGH_TOO_LOW = Rule("high", "at least 1000", lambda t: t.this["high"] < 1000)


def test_the_first_row_that_breaks_any_rule_is_reported_with_the_cells_compared():
    broken = check([HIGH_TOO_LOW, LOW_ABOVE_HIGH])
    assert (broken.row, broken.column) == (2, "low"), "row 2 breaks a rule before row 3 does"
    assert broken.expected == "no more than high (1400)"
    assert broken.found == "'1600'"


def test_when_a_row_breaks_several_rules_the_first_listed_is_reported():
    broken = check([HIGH_TOO_LOW, LOW_ABOVE_HIGH], table=BANDS.iloc[[2]].reset_index(drop=True),
                   raw=BANDS_AS_WRITTEN.iloc[[2]].reset_index(drop=True))  # fmt: skip
    assert (broken.row, broken.column, broken.found) == (1, "high", "'800'")


def test_a_rule_can_fill_its_message_and_say_what_it_found():
    rule = Rule(
        "stage",
        "a stage of the list ({known})",
        lambda t: Flagged(t.this["stage"] == "b", {"known": ["x", "y, z", "w"], "found": ["", "'b' twice", ""]}),
    )  # fmt: skip
    broken = check([rule])
    assert (broken.row, broken.expected, broken.found) == (
        2,
        "a stage of the list (y, z)",
        "'b' twice",
    )


def test_an_empty_cell_is_said_in_words():
    raw = BANDS_AS_WRITTEN.assign(high=["1400", " ", "800"])
    table = BANDS.assign(high=[1400, np.nan, 800])
    rule = Rule(
        "high", "a value, since low is {low} (and high {high})", lambda t: t.this["high"].isna()
    )
    broken = check([rule], table=table, raw=raw)
    assert (broken.expected, broken.found) == (
        f"a value, since low is 1600 (and high {EMPTY})",
        EMPTY,
    )


def test_missing_counts_as_keeping_the_rule():
    table = BANDS.assign(high=[np.nan, np.nan, np.nan])
    assert check([LOW_ABOVE_HIGH], table=table) is None


def test_a_table_wide_finding_comes_after_every_row_rule():
    missing = Rule("stage", "a row for every stage", lambda t: "no row for d")
    broken = check([missing])
    assert (broken.row, broken.column, broken.found) == (None, "stage", "no row for d")
    assert check([missing, LOW_ABOVE_HIGH]).row == 2


def test_tables_are_checked_after_the_tables_their_rules_use(monkeypatch):
    uses = lambda *names: [Rule("x", "y", lambda t: None, uses=names)]  # noqa: E731
    monkeypatch.setattr(data_rules, "RULES", {"a": uses("c"), "b": [], "c": uses("b")})
    assert check_order(["a", "b", "c"]) == ["b", "c", "a"]
    monkeypatch.setattr(data_rules, "RULES", {"a": uses("b"), "b": uses("a")})
    with pytest.raises(ValueError, match="use each other in a circle"):
        check_order(["a", "b"])


def test_the_real_rules_use_no_table_in_a_circle():
    assert sorted(check_order(list(data_rules.RULES))) == sorted(data_rules.RULES)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (np.float64(1.95), "1.95"),
        (np.int64(1400), "1400"),
        (1e-05, "0.00001"),
        (np.nan, EMPTY),
        (None, EMPTY),
        (pd.NA, EMPTY),
        (np.True_, "true"),
        (False, "false"),
        ("mg", "mg"),
    ],
)
def test_values_are_shown_plainly(value, shown):
    assert plain(value) == shown


def test_control_characters_are_named_with_their_place():
    assert control_character("Night\x00 cramp") == "a NUL byte (U+0000) at character 6"
    assert control_character("\x1b[31m") == "an escape character (U+001B) at character 1"
    assert control_character("caf\x85") == "a control character (U+0085) at character 4"
    assert control_character("µg, café, 1\u20132") is None  # printable non-ASCII is fine


def test_household_measures_give_their_volume():
    cup = 236.5882365
    assert measure_ml("1 cup") == pytest.approx(cup)
    assert measure_ml("1/2 cup, chopped") == pytest.approx(cup / 2)
    assert measure_ml("1 1/2 cup") == pytest.approx(cup * 1.5)
    assert measure_ml("1 serving 8 fl oz") == pytest.approx(8 * 29.5735295625)
    assert measure_ml("3/4 cup (1 NLEA serving)") == pytest.approx(cup * 0.75)
    for not_a_volume in ("3 oz", '1 medium (7" to 7-7/8" long)', "1 container", None):
        assert math.isnan(measure_ml(not_a_volume))


def test_the_readme_states_a_rule_without_the_row_values():
    assert LOW_ABOVE_HIGH.readme_text == "no more than high"
    rule = Rule("x", "an empty cell, since kind is {kind}", lambda t: None)
    assert rule.readme_text == "an empty cell when kind is kind"
    assert Rule("x", "y", lambda t: None, text="the rule").readme_text == "the rule"
