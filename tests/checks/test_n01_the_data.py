"""Self-checks of notebook 01: every case of every check (see cases.py)."""

import numpy as np
import pandas as pd
import pytest

from cramplab import analysis, checks, units
from cramplab.checks import n01_the_data
from cramplab.data import load
from cramplab.paths import sr28_dir

from .cases import Case, generated_tests

DATA = load()
WIDE = analysis.nutrient_matrix(DATA)
MISSING = int(WIDE["vitamin_d"].isna().sum())
FOODS = DATA.foods.set_index("food_id")
FRUIT = WIDE.loc[FOODS.index[FOODS["food_group"] == n01_the_data.FRUIT_GROUP], "calcium"]
SARDINES_UG = WIDE.at["sardines_canned", "vitamin_d"]
SARDINES_IU = units.vitamin_d_ug_to_iu(SARDINES_UG)

CASES = [
    Case(
        checks.fruit_richest_in_calcium,
        right=FRUIT.idxmax(),
        equivalent=[np.str_(FRUIT.idxmax()), FRUIT.nlargest(1).index, [FRUIT.idxmax()]],
        # the leader of every food, the fruit the guide names, the runner-up fruit
        wrong=[WIDE["calcium"].idxmax(), "banana", FRUIT.drop(FRUIT.idxmax()).idxmax(), "Fruit"],
        wrong_type=[FRUIT.max(), FRUIT, FRUIT.nlargest(2).index, 3],
    ),
    Case(
        checks.sardines_vitamin_d_iu,
        right=SARDINES_IU,
        # SR28's own IU field for canned sardines is 193 (40 x 4.8 = 192)
        equivalent=[int(SARDINES_IU), np.float32(SARDINES_IU), round(SARDINES_IU) + 1],
        wrong=[SARDINES_UG, SARDINES_UG / 40, SARDINES_IU + 3, 0],
        wrong_type=[f"{SARDINES_IU:g} IU", WIDE.loc["sardines_canned"], np.nan],
    ),
    Case(
        checks.foods_missing_vitamin_d,
        right=MISSING,
        equivalent=[float(MISSING), WIDE["vitamin_d"].isna().sum(), pd.Series([MISSING])],
        wrong=[0, int((WIDE["vitamin_d"] == 0).sum()), len(WIDE) - MISSING, MISSING - 1],
        wrong_type=[str(MISSING), WIDE.isna().sum(), WIDE["vitamin_d"].isna(), False],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)


def test_the_iu_tolerance_is_what_sr28_publishes():
    # µg to one decimal (half a step: 0.05 µg = 2 IU) and IU to whole units (0.5 IU)
    assert n01_the_data.SR28_VITAMIN_D_IU_TOLERANCE == pytest.approx(2.5)


SR28 = sr28_dir()


@pytest.mark.skipif(
    not (SR28 / "ABBREV.txt").exists(),
    reason=f"the USDA SR28 release is not at {SR28} (set CRAMPLAB_SR28 to its directory)",
)
def test_sr28s_own_iu_field_is_accepted_for_every_food():
    from cramplab.sr28 import Release

    abbrev = Release(SR28).abbrev.set_index("NDB_No")
    foods = DATA.foods.set_index("food_id")["ndb_no"]
    given = abbrev.loc[foods.to_numpy(), ["Vit_D_(µg)", "Vit_D_IU"]]
    given = given[(given != "").all(axis=1)].astype(float)
    assert len(given) > 100
    gap = (units.vitamin_d_ug_to_iu(given["Vit_D_(µg)"]) - given["Vit_D_IU"]).abs()
    assert gap.max() <= n01_the_data.SR28_VITAMIN_D_IU_TOLERANCE
    sardines = abbrev.at[foods["sardines_canned"], "Vit_D_IU"]
    assert checks.sardines_vitamin_d_iu.outcome(float(sardines)).kind == "right"
