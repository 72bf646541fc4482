"""Self-checks of notebook 05: every case of every check (see cases.py)."""

import pandas as pd

from cramplab import checks, claims
from cramplab.data import load

from .cases import Case, generated_tests

DATA = load()
STUDIES = DATA.claim_studies
TRIALS = STUDIES[STUDIES["design"].isin(["randomised_trial", "systematic_review"])]
WITH_TRIALS = sorted(TRIALS["claim_id"].unique())
READINGS = claims.study_readings(STUDIES)
INTERVALS = READINGS[READINGS["ci_low"].notna()]
AGAINST = sorted(INTERVALS.loc[INTERVALS["reading"] == "against", "study"].unique())
NEITHER = sorted(INTERVALS.loc[INTERVALS["reading"] == "neither", "study"].unique())
FOR = sorted(INTERVALS.loc[INTERVALS["reading"] == "for", "study"].unique())
RUBRIC = {
    "parts": 2,
    "basis_a": "clinical_reference",
    "differs_on": "population",
    "start": "high",
    "part_b": "indirect_against",
    "claim": "partly_supported",
}
SOF = claims.summary_of_findings(DATA, "C38b", "b")
JUDGED = {domain: (row.judgement, "a reason in words") for domain, row in SOF.iterrows()}

CASES = [
    Case(
        checks.claims_with_trial_evidence,
        right=WITH_TRIALS,
        equivalent=[TRIALS["claim_id"].unique(), pd.Series(WITH_TRIALS), set(WITH_TRIALS)],
        wrong=[sorted(STUDIES["claim_id"].unique()), WITH_TRIALS[:1], ["Coppin 2005"]],
        wrong_type=[TRIALS, WITH_TRIALS[0], 3],
    ),
    Case(
        checks.studies_that_read_against,
        right=AGAINST,
        equivalent=[tuple(AGAINST[::-1]), pd.Series(AGAINST), set(AGAINST)],
        wrong=[sorted({*AGAINST, *NEITHER}), sorted({*AGAINST, *FOR}), AGAINST[:1], []],
        wrong_type=[INTERVALS, AGAINST[0], 1.0],
    ),
    Case(
        checks.rubric_c38b,
        right=RUBRIC,
        equivalent=[
            {**RUBRIC, "parts": 2.0},
            {key: [value] for key, value in RUBRIC.items()},
            dict(reversed(RUBRIC.items())),
        ],
        wrong=[
            {**RUBRIC, "differs_on": "intervention"},
            {**RUBRIC, "start": "low"},
            {**RUBRIC, "part_b": "contradicted"},
            {**RUBRIC, "claim": "contradicted", "parts": 1},
            {key: value for key, value in RUBRIC.items() if key != "claim"},
        ],
        wrong_type=[list(RUBRIC.values()), "partly_supported", {**RUBRIC, "parts": "two"}],
    ),
    Case(
        checks.grade_c38b_summary_of_findings,
        right=JUDGED,
        equivalent=[
            {domain: list(pair) for domain, pair in JUDGED.items()},
            dict(reversed(JUDGED.items())),
        ],
        wrong=[
            {**JUDGED, "indirectness": ("not_serious", "the trials enrolled adults")},
            {**JUDGED, "imprecision": ("not_serious", "the interval is narrow")},
            {**JUDGED, "risk_of_bias": (JUDGED["risk_of_bias"][0], "")},
            {domain: pair for domain, pair in JUDGED.items() if domain != "imprecision"},
        ],
        wrong_type=[
            list(JUDGED.values()),
            {**JUDGED, "indirectness": "very_serious"},
            {**JUDGED, "indirectness": ("very_serious",)},
        ],
    ),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
