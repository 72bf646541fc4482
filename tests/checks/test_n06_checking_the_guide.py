"""Self-checks of notebook 06: every case of every check (see cases.py)."""

import pandas as pd

from cramplab import checks, claims
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
VERDICTS = claims.verdicts(DATA)
C26 = VERDICTS.at["C26", "verdict"]
ABOUT_MG = DATA.guide_claims.set_index("claim_id")["nutrients"].str.contains("magnesium", na=False)
WITHOUT = VERDICTS.index[ABOUT_MG & VERDICTS["verdict"].isin(["not_supported", "unsupported"])]

CASES = [
    Case(
        checks.verdict_on_c26,
        right=C26,
        equivalent=[pd.Series([C26]), [C26]],
        wrong=[v for v in ("supported", "partly_supported", "not_supported") if v != C26]
        + ["rich"],
        wrong_type=[True, VERDICTS.loc[["C26"]], 0.5],
    ),
    Case(
        checks.magnesium_claims_without_support,
        right=sorted(WITHOUT),
        equivalent=[WITHOUT, list(WITHOUT)[::-1], tuple(WITHOUT)],
        wrong=[["C01"], sorted(VERDICTS.index[ABOUT_MG])],
        wrong_type=[VERDICTS[ABOUT_MG], "C01", ABOUT_MG],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
