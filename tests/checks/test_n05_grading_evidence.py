"""Self-checks of notebook 05: every case of every check (see cases.py)."""

import pandas as pd

from cramplab import checks
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
STUDIES = DATA.claim_studies
TRIALS = STUDIES[STUDIES["design"].isin(["randomised_trial", "systematic_review"])]
WITH_TRIALS = sorted(TRIALS["claim_id"].unique())
RATIOS = STUDIES[STUDIES["measure"].isin(["risk ratio", "odds ratio", "sequence ratio"])]
CROSSING = RATIOS[(RATIOS["ci_low"] <= 1) & (RATIOS["ci_high"] >= 1)]
INCLUDE_ONE = sorted(CROSSING["study"].unique())
DIFFERENCES = STUDIES[STUDIES["measure"] == "mean difference"]
ALL_CROSSING = STUDIES[(STUDIES["ci_low"] <= 1) & (STUDIES["ci_high"] >= 1)]
VERDICT = DATA.guide_claims.set_index("claim_id")["evidence_verdict"]
OTHERS = ["supported", "partly_supported", "mixed", "contradicted", "no_evidence_found",
          "not_assessed"]  # fmt: skip

CASES = [
    Case(
        checks.claims_with_trial_evidence,
        right=WITH_TRIALS,
        equivalent=[TRIALS["claim_id"].unique(), pd.Series(WITH_TRIALS), set(WITH_TRIALS)],
        wrong=[sorted(STUDIES["claim_id"].unique()), WITH_TRIALS[:1], ["Coppin 2005"]],
        wrong_type=[TRIALS, WITH_TRIALS[0], 3],
    ),
    Case(
        checks.intervals_that_include_no_effect,
        right=INCLUDE_ONE,
        equivalent=[CROSSING["study"].drop_duplicates(), tuple(INCLUDE_ONE[::-1])],
        wrong=[sorted(ALL_CROSSING["study"].unique()), sorted(RATIOS["study"].unique()), []],
        wrong_type=[CROSSING, INCLUDE_ONE[0], 1.0],
    ),
    Case(
        checks.grade_c03,
        right=VERDICT["C03"],
        equivalent=[[VERDICT["C03"]], pd.Series([VERDICT["C03"]])],
        wrong=[v for v in OTHERS if v != VERDICT["C03"]] + ["unsupported"],
        wrong_type=[True, 3, VERDICT.loc[["C03", "C30a"]]],
    ),
    Case(
        checks.grade_c30a,
        right=VERDICT["C30a"],
        equivalent=[[VERDICT["C30a"]], pd.Index([VERDICT["C30a"]])],
        wrong=[v for v in OTHERS if v != VERDICT["C30a"]],
        wrong_type=[None.__class__, 0.5, {"verdict": VERDICT["C30a"]}],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
