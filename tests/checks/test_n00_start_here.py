"""Self-checks of notebook 00: every case of every check (see cases.py)."""

import numpy as np
import pandas as pd

from cramplab import analysis, checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
CLAIMS = DATA.guide_claims
MAGNESIUM = int(CLAIMS["nutrients"].str.contains("magnesium", na=False).sum())
ONLY_MAGNESIUM = int((CLAIMS["nutrients"] == "magnesium").sum())
CRAMP = analysis.cramp_nutrients(DATA)
KINDS = CLAIMS["kind"].value_counts()
VITAMIN_D = CLAIMS.loc[CLAIMS["nutrients"].str.contains("vitamin_d", na=False), "kind"]
VITAMIN_D_KIND = VITAMIN_D.value_counts().idxmax()

CASES = [
    Case(
        checks.claims_naming_magnesium,
        right=MAGNESIUM,
        equivalent=[float(MAGNESIUM), np.int64(MAGNESIUM), pd.Series([MAGNESIUM])],
        wrong=[len(CLAIMS), ONLY_MAGNESIUM, 0],
        wrong_type=[str(MAGNESIUM), True, CLAIMS, [MAGNESIUM, 1], len],
    ),
    Case(
        checks.vitamin_d_claim_kind,
        right=VITAMIN_D_KIND,
        equivalent=[np.str_(VITAMIN_D_KIND), [VITAMIN_D_KIND], pd.Index([VITAMIN_D_KIND])],
        # the most common kind of all claims, and the rarest kind among vitamin D's
        wrong=[KINDS.idxmax(), VITAMIN_D.value_counts().index[-1], "mechanisms"],
        wrong_type=[int(VITAMIN_D.value_counts().max()), KINDS, 3.5],
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
