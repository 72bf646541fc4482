"""Self-checks of notebook 04: every case of every check (see cases.py)."""

import numpy as np

from cramplab import analysis, checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
COUNT = analysis.coverage(DATA, 20).drop(columns="sodium").sum(axis=1)
EXCELLENT = sorted(COUNT[COUNT >= 3].index)
WITH_SODIUM = analysis.coverage(DATA, 20).sum(axis=1)
TARGET = analysis.intake_targets(DATA, "female_71_plus")["calcium"]
MILK = analysis.amounts(DATA, "serving").at["milk_lowfat", "calcium"]
PERCENT = MILK / TARGET * 100

CUP = analysis.amounts(DATA, "serving").at["spinach_cooked", "calcium"]
ABSORBED = analysis.absorbed_calcium(DATA, "serving")["spinach_cooked"]

CASES = [
    Case(
        checks.excellent_for_three,
        right=EXCELLENT,
        equivalent=[COUNT[COUNT >= 3].index, np.array(EXCELLENT), EXCELLENT[::-1]],
        wrong=[[], sorted(WITH_SODIUM[WITH_SODIUM >= 3].index), EXCELLENT[:-1]],
        wrong_type=[COUNT[COUNT >= 3], COUNT >= 3, analysis.coverage(DATA, 20)],
    ),
    Case(
        checks.milk_for_a_woman_over_70,
        right=PERCENT,
        equivalent=[round(PERCENT, 2), np.float32(PERCENT), round(PERCENT, 3)],
        wrong=[PERCENT / 100, MILK / 1300 * 100, MILK, 100 - PERCENT],
        wrong_type=[
            f"{PERCENT:.1f}%",
            {"calcium": PERCENT},
            analysis.intake_targets(DATA, "female_71_plus"),
        ],
    ),
    Case(
        checks.spinach_absorbed_per_serving,
        right=ABSORBED,
        equivalent=[round(ABSORBED, 2), np.float32(ABSORBED), np.array([ABSORBED])],
        wrong=[CUP, ABSORBED * 100, analysis.absorbed_calcium(DATA, "racc")["spinach_cooked"]],
        wrong_type=[f"{ABSORBED:.0f} mg", {"spinach": ABSORBED}, DATA.calcium_absorption],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
