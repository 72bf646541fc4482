"""Self-checks of notebook 03: every case of every check (see cases.py)."""

import numpy as np
import pandas as pd

from cramplab import analysis, checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
PER_SERVING = analysis.amounts(DATA, "serving")["potassium"]
PER_100G_LEADER = analysis.nutrient_matrix(DATA)["potassium"].idxmax()
RANK = int(analysis.rank_foods(DATA, "potassium", "100 g", None).at["banana", "rank"])
RANK_SERVING = int(analysis.rank_foods(DATA, "potassium", "serving", None).at["banana", "rank"])

PER_GRAM = analysis.nutrient_matrix(DATA).at["banana", "potassium"] / 100
GRAMS = 0.10 * analysis.daily_values(DATA)["potassium"] / PER_GRAM
RACC_G = analysis.serving_grams(DATA, "racc")["banana"]

CASES = [
    Case(
        checks.potassium_leader_per_serving,
        right=PER_SERVING.idxmax(),
        equivalent=[np.str_(PER_SERVING.idxmax()), PER_SERVING.nlargest(1).index],
        # the runner-up, the leader per 100 g (the other yardstick), the guide's banana
        wrong=[PER_SERVING.drop(PER_SERVING.idxmax()).idxmax(), PER_100G_LEADER, "banana", "X"],
        wrong_type=[PER_SERVING.max(), PER_SERVING.nlargest(2).index, PER_SERVING],
    ),
    Case(
        checks.banana_rank_per_100g,
        right=RANK,
        equivalent=[float(RANK), np.int32(RANK), pd.Series([RANK], index=["banana"])],
        wrong=[RANK_SERVING, RANK - 1, 1],
        wrong_type=[f"#{RANK}", str(RANK), analysis.rank_foods(DATA, "potassium", "100 g")],
    ),
    Case(
        checks.banana_grams_for_good_source,
        right=GRAMS,
        # rounded as the message rounds it (to the gram) is right
        equivalent=[round(GRAMS), round(GRAMS, 1), np.float32(GRAMS), pd.Series([GRAMS])],
        wrong=[RACC_G, GRAMS * 100, GRAMS / 2, 10, round(GRAMS) - 1],
        wrong_type=[f"{GRAMS:.0f} g", {"banana": GRAMS}, analysis.percent_dv(DATA, "racc")],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
