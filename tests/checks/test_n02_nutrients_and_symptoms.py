"""Self-checks of notebook 02: every case of every check (see cases.py)."""

import pandas as pd

from cramplab import checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
LINKS = DATA.nutrient_symptoms
PER_SYMPTOM = LINKS.groupby("symptom_id")["nutrient_id"].nunique()
SHARED = sorted(PER_SYMPTOM[PER_SYMPTOM >= 3].index)
WEAK = LINKS[LINKS["guide_asserts"] & (LINKS["evidence_grade"] == "guide_only_or_contradicted")]
WEAKEST = sorted(WEAK["nutrient_id"].unique())

CASES = [
    Case(
        checks.shared_symptoms,
        right=SHARED,
        equivalent=[SHARED[::-1], tuple(SHARED), PER_SYMPTOM[PER_SYMPTOM >= 3].index],
        wrong=[
            ["muscle_cramp"],
            sorted(PER_SYMPTOM[PER_SYMPTOM >= 2].index),
            ["magnesium"],
            [*SHARED, SHARED[0]],
        ],
        wrong_type=[PER_SYMPTOM[PER_SYMPTOM >= 3], PER_SYMPTOM >= 3, ", ".join(SHARED), 3],
    ),
    Case(
        checks.weakest_guide_links,
        right=WEAKEST,
        equivalent=[WEAK["nutrient_id"].unique(), pd.Series(WEAKEST), set(WEAKEST)],
        wrong=[["magnesium", "energy"], sorted(LINKS["nutrient_id"].unique()), []],
        wrong_type=[WEAK, WEAKEST[0], {"a": 1}],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
