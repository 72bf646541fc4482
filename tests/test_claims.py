"""Each verdict rule, on tables made by hand."""

import numpy as np
import pandas as pd
import pytest

from cramplab import claims

# magnesium DV is 100 mg in the test course, so %DV per serving = mg per serving.
FOODS = {
    "rich": {"serving_g": 100, "energy": 100, "magnesium": 25, "sodium": 1},
    "good": {"serving_g": 100, "energy": 100, "magnesium": 12, "sodium": 1},
    "poor": {"serving_g": 100, "energy": 100, "magnesium": 2, "sodium": 1},
    "salty": {"serving_g": 100, "energy": 100, "magnesium": 2, "sodium": 1150},
    "unknown": {"serving_g": 100, "energy": 100},
}


def claim_table(rows):
    table = pd.DataFrame(rows)
    for column in ("section", "claim", "source", "evidence_summary"):
        table[column] = "x"
    return table


@pytest.mark.parametrize(
    ("foods", "nutrients", "verdict"),
    [
        (["rich"], ["magnesium"], "supported"),
        (["rich", "good"], ["magnesium"], "partly_supported"),
        (["poor", "good"], ["magnesium"], "partly_supported"),
        (["poor"], ["magnesium"], "not_supported"),
        (["unknown"], ["magnesium"], "no_data"),
        (["rich", "unknown"], ["magnesium"], "supported"),  # unknown neither helps nor hurts
        (["salty", "rich"], ["magnesium", "sodium"], "supported"),  # best nutrient per food
    ],
)
def test_food_claim_rule(course, foods, nutrients, verdict):
    evidence = claims.food_evidence(course(FOODS), foods, nutrients)
    assert claims.food_claim_verdict(evidence) == verdict


@pytest.mark.parametrize(
    ("foods", "verdict"),
    [
        (["rich", "good"], "supported"),  # a good source is all a "good source" claim needs
        (["good", "poor"], "partly_supported"),
        (["poor"], "not_supported"),
    ],
)
def test_good_source_claims_need_only_ten_percent(course, foods, verdict):
    evidence = claims.food_evidence(course(FOODS), foods, ["magnesium"])
    assert claims.food_claim_verdict(evidence, "good source") == verdict


def test_food_evidence_ranks_among_all_foods(course):
    evidence = claims.food_evidence(course(FOODS), ["good", "unknown"], ["magnesium"])
    good, unknown = evidence.to_dict("records")
    assert (good["rank"], good["foods_ranked"], good["level"]) == (2, 4, "good source")
    assert np.isnan(unknown["amount"]) and unknown["level"] == "no data"


def test_verdicts_compute_data_claims_and_keep_cited_ones(course):
    table = claim_table(
        [
            {"claim_id": "C01", "kind": "food_source", "nutrients": "magnesium",
             "foods": "poor;good", "check_against": "data", "evidence_verdict": np.nan,
             "claimed_level": "excellent source"},
            {"claim_id": "C02", "kind": "statistic", "nutrients": np.nan, "foods": np.nan,
             "check_against": "evidence", "evidence_verdict": "unsupported",
             "claimed_level": np.nan},
            {"claim_id": "C03", "kind": "food_source", "nutrients": "magnesium",
             "foods": "rich;good", "check_against": "data", "evidence_verdict": np.nan,
             "claimed_level": "good source"},
        ]
    )  # fmt: skip
    result = claims.verdicts(course(FOODS, claims=table))
    assert result["verdict"].to_dict() == {
        "C01": "partly_supported",
        "C02": "unsupported",
        "C03": "supported",
    }
    assert result.loc["C01", "basis"] == "computed from USDA SR28"
    counts = claims.verdict_counts(result)
    assert counts.loc["food_source", "partly_supported"] == 1
