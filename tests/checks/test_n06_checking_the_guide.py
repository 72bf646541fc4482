"""Self-checks of notebook 06: every case of every check (see cases.py)."""

import pandas as pd

from cramplab import checks, claims
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
BASES = (
    DATA.claim_parts.assign(
        by_data=DATA.claim_parts["basis"].isin(["food_words", "diet_planner"]),
        by_evidence=~DATA.claim_parts["basis"].isin(
            ["food_words", "diet_planner", "not_assessed"]
        ),
    )
    .groupby("claim_id")[["by_data", "by_evidence"]]
    .any()
)
BOTH = sorted(BASES.index[BASES["by_data"] & BASES["by_evidence"]])
DATA_CLAIMS = sorted(BASES.index[BASES["by_data"]])
TABLE = DATA.guide_claims.set_index("claim_id")
FISH = pd.concat(
    claims.food_evidence(
        DATA, TABLE.at[c, "foods"].split(";"), TABLE.at[c, "nutrients"].split(";")
    )
    for c in ("C26", "C28")
)
UNRESOLVED = FISH[FISH["grams_alt"].notna()]
DEPENDS = sorted(
    UNRESOLVED.loc[UNRESOLVED["level"] != UNRESOLVED["level_alt"], "food_id"].unique()
)
PARTS = claims.part_verdicts(DATA)
ABOUT_MG = set(TABLE.index[TABLE["nutrients"].str.contains("magnesium", na=False)])
UNCERTAIN = set(PARTS.loc[PARTS["verdict"] == "very_uncertain", "claim_id"])
MG_UNCERTAIN = sorted(UNCERTAIN & ABOUT_MG)

CASES = [
    Case(
        checks.claims_decided_by_data_and_evidence,
        right=BOTH,
        equivalent=[tuple(BOTH[::-1]), pd.Index(BOTH), set(BOTH)],
        # every claim with a data part; one of the two; a claim decided by evidence alone
        wrong=[DATA_CLAIMS, BOTH[:1], ["C02"], []],
        wrong_type=[BASES["by_data"] & BASES["by_evidence"], BOTH[0], 2],
    ),
    Case(
        checks.foods_that_depend_on_the_canned_fish_amount,
        right=DEPENDS,
        equivalent=[tuple(DEPENDS), pd.Series(DEPENDS), set(DEPENDS)],
        wrong=[sorted(UNRESOLVED["food_id"].unique()), ["salmon_sockeye"], []],
        wrong_type=[UNRESOLVED, DEPENDS[0], 1],
    ),
    Case(
        checks.magnesium_claims_with_a_very_uncertain_part,
        right=MG_UNCERTAIN,
        equivalent=[MG_UNCERTAIN[::-1], tuple(MG_UNCERTAIN), pd.Index(MG_UNCERTAIN)],
        wrong=[sorted(UNCERTAIN), MG_UNCERTAIN[:1], sorted(ABOUT_MG)],
        wrong_type=[PARTS, MG_UNCERTAIN[0], {"C10": 1}],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
