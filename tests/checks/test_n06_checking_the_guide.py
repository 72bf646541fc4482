"""Self-checks of notebook 06: every case of every check (see cases.py)."""

import pandas as pd

from cramplab import checks, claims
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
VERDICTS = claims.verdicts(DATA)
C26 = VERDICTS.at["C26", "verdict"]
C24 = DATA.guide_claims.set_index("claim_id").at["C24", "foods"].split(";")
LEVEL = {
    basis: claims.food_evidence(DATA, C24, ["potassium"], basis).set_index("food_id")["level"]
    for basis in ("serving", "racc")
}
CHANGED = sorted(LEVEL["racc"].index[LEVEL["racc"] != LEVEL["serving"]])
ABOUT_MG = DATA.guide_claims.set_index("claim_id")["nutrients"].str.contains("magnesium", na=False)
AGAINST = VERDICTS.index[ABOUT_MG & (VERDICTS["verdict"] == "contradicted")]
UNSETTLED = VERDICTS.index[ABOUT_MG & VERDICTS["verdict"].isin(["mixed", "no_evidence_found"])]

CASES = [
    Case(
        checks.verdict_on_c26,
        right=C26,
        equivalent=[pd.Series([C26]), [C26]],
        wrong=[v for v in ("supported", "partly_supported", "contradicted", "no_data") if v != C26]
        + ["rich", "not_supported"],
        wrong_type=[True, VERDICTS.loc[["C26", "C24"]], 0.5],
    ),
    Case(
        checks.c24_words_that_change,
        right=CHANGED,
        equivalent=[tuple(CHANGED[::-1]), pd.Index(CHANGED), set(CHANGED)],
        wrong=[sorted(C24), CHANGED[:1], ["potassium"]],
        wrong_type=[LEVEL["racc"] != LEVEL["serving"], CHANGED[0], 2],
    ),
    Case(
        checks.magnesium_claims_contradicted,
        right=sorted(AGAINST),
        equivalent=[AGAINST, list(AGAINST)[::-1], tuple(AGAINST)],
        wrong=[sorted({*AGAINST, *UNSETTLED}), ["C01"], sorted(VERDICTS.index[ABOUT_MG])],
        wrong_type=[VERDICTS[ABOUT_MG], "C38b", ABOUT_MG],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
