"""Self-checks of notebook 00: every case of every check (see cases.py)."""

import numpy as np
import pandas as pd

from cramplab import analysis, checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
CLAIMS = DATA.guide_claims
BY_DATA = int((CLAIMS["check_against"] == "data").sum())
CRAMP = analysis.cramp_nutrients(DATA)
KINDS = CLAIMS["kind"].value_counts()

CASES = [
    Case(
        checks.claims_checked_against_data,
        right=BY_DATA,
        equivalent=[float(BY_DATA), np.int64(BY_DATA), pd.Series([BY_DATA])],
        wrong=[len(CLAIMS), len(CLAIMS) - BY_DATA, 0],
        wrong_type=[str(BY_DATA), True, CLAIMS, [BY_DATA, 1], len],
    ),
    Case(
        checks.most_common_claim_kind,
        right=KINDS.idxmax(),
        equivalent=[np.str_(KINDS.idxmax()), KINDS.head(1).index, [KINDS.idxmax()]],
        wrong=[KINDS.index[-1], "mechanisms"],
        wrong_type=[int(KINDS.max()), KINDS, 3.5],
    ),
    Case(
        checks.cramp_nutrient_ids,
        right=CRAMP,
        equivalent=[tuple(CRAMP), pd.Index(CRAMP), pd.Series(CRAMP), set(CRAMP), CRAMP[::-1]],
        wrong=[
            [*CRAMP, "energy"],
            CRAMP[:-1],
            DATA.nutrients["name"].tolist()[:8],
            [*CRAMP, CRAMP[0]],
            [],
        ],
        wrong_type=["magnesium", DATA.nutrients, DATA.nutrients["kind"] != "context", 8],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
