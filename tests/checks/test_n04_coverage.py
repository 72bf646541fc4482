"""Self-checks of notebook 04: every case of every check (see cases.py)."""

import numpy as np

from cramplab import analysis, checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
COVERS = analysis.coverage(DATA)
NAMED = DATA.foods.loc[DATA.foods["guide_named"], "food_id"]
ANY = COVERS.loc[NAMED].drop(columns="sodium").any(axis=1)
NONE = sorted(ANY.index[~ANY])
WITH_SODIUM = sorted(ANY.index[~COVERS.loc[NAMED].any(axis=1)])
EVERY_FOOD = COVERS.drop(columns="sodium").any(axis=1)
TARGET = analysis.intake_targets(DATA, "female_71_plus")["calcium"]
MILK = analysis.amounts(DATA, "serving").at["milk_lowfat", "calcium"]
PERCENT = MILK / TARGET * 100

CUP = analysis.amounts(DATA, "serving").at["spinach_cooked", "calcium"]
ABSORBED = analysis.absorbed_calcium(DATA, "serving")["spinach_cooked"]

CASES = [
    Case(
        checks.guide_foods_covering_none,
        right=NONE,
        equivalent=[ANY.index[~ANY], np.array(NONE), NONE[::-1]],
        wrong=[[], WITH_SODIUM, sorted(EVERY_FOOD.index[~EVERY_FOOD]), NONE[:-1]],
        wrong_type=[~ANY, ANY, COVERS],
    ),
    Case(
        checks.milk_for_a_woman_over_70,
        right=PERCENT,
        # rounded as the message rounds it (a whole percent) is right
        equivalent=[round(PERCENT), round(PERCENT, 2), np.float32(PERCENT)],
        wrong=[PERCENT / 100, MILK / 1300 * 100, MILK, 100 - PERCENT, round(PERCENT) + 1],
        wrong_type=[
            f"{PERCENT:.1f}%",
            {"calcium": PERCENT},
            analysis.intake_targets(DATA, "female_71_plus"),
        ],
    ),
    Case(
        checks.spinach_absorbed_per_serving,
        right=ABSORBED,
        equivalent=[
            round(ABSORBED),
            round(ABSORBED, 2),
            np.float32(ABSORBED),
            np.array([ABSORBED]),
        ],
        wrong=[CUP, ABSORBED * 100, analysis.absorbed_calcium(DATA, "racc")["spinach_cooked"]],
        wrong_type=[f"{ABSORBED:.0f} mg", {"spinach": ABSORBED}, DATA.calcium_absorption],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
