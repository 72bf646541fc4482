"""Self-checks of notebook 07: every case of every check (see cases.py).

Menus are solved once, when a test first needs them.
"""

import functools

import numpy as np
import pandas as pd

from cramplab import analysis, checks, plan
from cramplab.data import load

from .cases import Case, Later, generated_tests

DATA = load()


@functools.cache
def menu(life_stage=None, exclude=(), objective="size", rules="guidelines"):
    return plan.plan_menu(DATA, life_stage=life_stage, exclude=list(exclude), objective=objective,
                          rules=rules)  # fmt: skip


def binding(life_stage):
    totals = menu(life_stage, rules="cramp").totals
    return sorted(n for n in analysis.cramp_nutrients(DATA) if totals.at[n, "binds"] == "target")


def retinol(food_id, grams=None):
    caps = DATA.portion_caps.set_index("food_id")
    grams = caps.at[food_id, "portion_g"] * caps.at[food_id, "max_portions"] if grams is None else grams  # fmt: skip
    return analysis.nutrient_matrix(DATA).at[food_id, "retinol"] * grams / 100


OLDER = Later(lambda: binding("female_71_plus"))
WITHOUT = Later(lambda: menu(exclude=("quinoa_cooked",)))
JUICE = Later(lambda: retinol("green_juice"))

CASES = [
    Case(
        checks.binding_targets,
        args=("female_71_plus",),
        right=OLDER,
        equivalent=[Later(lambda: tuple(OLDER())), Later(lambda: set(OLDER()))],
        wrong=[Later(lambda: [*OLDER(), "energy"]), ["magnesium"], []],
        wrong_type=["vitamin_d", 3],
    ),
    Case(
        checks.menu_without,
        args=("quinoa_cooked",),
        right=WITHOUT,
        # the same request written another way: an Index, a tuple
        equivalent=[
            Later(lambda: plan.plan_menu(DATA, exclude=pd.Index(["quinoa_cooked"]))),
            Later(lambda: plan.plan_menu(DATA, patterns=(), exclude=("quinoa_cooked",))),
        ],
        # other menus without quinoa: another life stage, vegan, more foods left out
        wrong=[
            Later(lambda: menu()),
            Later(lambda: menu("female_31_50", exclude=("quinoa_cooked",))),
            Later(lambda: plan.plan_menu(DATA, patterns=("vegan",), exclude=["quinoa_cooked"])),
            Later(lambda: menu(exclude=("quinoa_cooked", WITHOUT().items.index[0]))),
        ],
        wrong_type=["quinoa_cooked", Later(lambda: menu().items)],
    ),
    Case(
        checks.retinol_in_a_day_of,
        args=("green_juice",),
        right=JUICE,
        equivalent=[Later(lambda: np.float64(JUICE())), Later(lambda: [JUICE()])],
        wrong=[
            Later(lambda: retinol("green_juice", 100)),
            Later(lambda: retinol("green_juice", 100) * 2.69),
            Later(lambda: JUICE() / 3000),
        ],
        wrong_type=[Later(lambda: f"{JUICE():.0f}"), [1, 2]],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
