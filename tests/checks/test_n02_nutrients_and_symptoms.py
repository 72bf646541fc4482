"""Self-checks of notebook 02: every case of every check (see cases.py)."""

import pandas as pd

from cramplab import checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
LINKS = DATA.nutrient_symptoms
SIGNS = LINKS[(LINKS["state"] == "deficiency") & (LINKS["evidence_grade"] == "established")]
PER_SYMPTOM = SIGNS.groupby("symptom_id")["nutrient_id"].nunique()
PER_NUTRIENT = SIGNS.groupby("nutrient_id")["symptom_id"].nunique()
MOST_SIGNS = PER_NUTRIENT.idxmax()
UNCHECKED = LINKS[LINKS["guide_asserts"] & (LINKS["evidence_grade"] == "no_evidence_found")]
NO_EVIDENCE = sorted(UNCHECKED["nutrient_id"].unique())
AGAINST = sorted(LINKS.loc[LINKS["evidence_grade"] == "very_uncertain", "nutrient_id"].unique())
NAMED = DATA.cramp_factors[DATA.cramp_factors["named_by_guide"]]
FACTORS = {
    grade: sorted(NAMED.loc[NAMED["evidence_grade"] == grade, "factor_id"])
    for grade in ["very_uncertain", "no_evidence_found"]
}

CASES = [
    Case(
        checks.deficiency_with_most_signs,
        right=MOST_SIGNS,
        equivalent=[[MOST_SIGNS], PER_NUTRIENT.nlargest(1).index, pd.Series([MOST_SIGNS])],
        # the runner-up, the symptom with most deficiencies, a nutrient with fewest signs
        wrong=[
            PER_NUTRIENT.drop(MOST_SIGNS).idxmax(),
            PER_SYMPTOM.idxmax(),
            PER_NUTRIENT.idxmin(),
            "Magnesium",
        ],
        wrong_type=[int(PER_NUTRIENT.max()), PER_NUTRIENT, PER_NUTRIENT.nlargest(2).index, 3],
    ),
    Case(
        checks.guide_links_with_no_evidence,
        right=NO_EVIDENCE,
        equivalent=[UNCHECKED["nutrient_id"].unique(), pd.Series(NO_EVIDENCE), set(NO_EVIDENCE)],
        wrong=[sorted({*NO_EVIDENCE, *AGAINST}), ["muscle_cramp"], []],
        wrong_type=[UNCHECKED, NO_EVIDENCE[0], {"a": 1}],
    ),
    Case(
        checks.factors_against_and_unknown,
        right=FACTORS,
        equivalent=[
            {grade: tuple(ids) for grade, ids in FACTORS.items()},
            {grade: pd.Series(ids[::-1]) for grade, ids in FACTORS.items()},
        ],
        wrong=[
            {
                "very_uncertain": FACTORS["no_evidence_found"],
                "no_evidence_found": FACTORS["very_uncertain"],
            },
            {"very_uncertain": [], "no_evidence_found": FACTORS["no_evidence_found"]},
            {"very_uncertain": FACTORS["very_uncertain"], "no_evidence_found": ["dehydration"]},
        ],
        wrong_type=[
            FACTORS["very_uncertain"],
            "caffeine",
            {"very_uncertain": FACTORS["very_uncertain"]},
            {"very_uncertain": "x", "no_evidence_found": 3},
        ],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
