"""Each verdict rule, on tables made by hand; one scale shared by data, charts and code."""

import numpy as np
import pandas as pd
import pytest
from repo import CLONE

from cramplab import claims, plotting
from cramplab.data import read_datapackage

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
    table["certainty"] = table["check_against"].map({"evidence": "low"})
    return table


@pytest.mark.parametrize(
    ("foods", "nutrients", "verdict"),
    [
        (["rich"], ["magnesium"], "supported"),
        (["rich", "good"], ["magnesium"], "partly_supported"),
        (["poor", "good"], ["magnesium"], "partly_supported"),
        (["poor"], ["magnesium"], "contradicted"),  # the data are the evidence against
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
        (["poor"], "contradicted"),
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
             "check_against": "evidence", "evidence_verdict": "no_evidence_found",
             "claimed_level": np.nan},
            {"claim_id": "C03", "kind": "food_source", "nutrients": "magnesium",
             "foods": "rich;good", "check_against": "data", "evidence_verdict": np.nan,
             "claimed_level": "good source"},
        ]
    )  # fmt: skip
    result = claims.verdicts(course(FOODS, claims=table))
    assert result["verdict"].to_dict() == {
        "C01": "partly_supported",
        "C02": "no_evidence_found",
        "C03": "supported",
    }
    assert result.loc["C01", "basis"] == "computed from USDA SR28"
    counts = claims.verdict_counts(result)
    assert counts.loc["food_source", "partly_supported"] == 1


def test_food_claims_and_distinct_foods(course):
    table = claim_table(
        [
            {"claim_id": "C01", "kind": "food_source", "nutrients": "magnesium",
             "foods": "poor;good", "check_against": "data", "evidence_verdict": np.nan,
             "claimed_level": "excellent source"},
            {"claim_id": "C02", "kind": "food_source", "nutrients": "magnesium;sodium",
             "foods": "poor;rich;salty", "check_against": "data", "evidence_verdict": np.nan,
             "claimed_level": "good source"},
        ]
    )  # fmt: skip
    pairs = claims.food_claims(course(FOODS, claims=table))
    assert len(pairs) == 5 and pairs["claim_id"].tolist() == ["C01"] * 2 + ["C02"] * 3
    assert (
        pairs.set_index(["claim_id", "food_id"]).loc[("C02", "salty"), "nutrient_id"] == "sodium"
    )
    foods = claims.distinct_foods(pairs)
    assert sorted(foods.index) == ["good", "poor", "rich", "salty"]  # poor counted once
    assert foods.at["poor", "claims"] == 2 and foods.at["poor", "level"] == "neither"
    assert foods.at["salty", "level"] == "excellent source"  # its best nutrient counts


def enum(resource, field):
    schema = next(r for r in read_datapackage(CLONE.data)["resources"] if r["name"] == resource)
    return next(f for f in schema["schema"]["fields"] if f["name"] == field)["constraints"]["enum"]


def test_one_scale_in_the_data_the_code_and_the_charts():
    typed = [v for v in claims.VERDICTS if v != "no_data"]  # no_data only comes from the data
    assert enum("guide_claims", "evidence_verdict") == typed
    assert enum("guide_claims", "certainty") == claims.CERTAINTIES
    assert set(claims.VERDICT_LABELS) == set(claims.VERDICT_MEANINGS) == set(claims.VERDICTS)
    assert list(plotting.VERDICT_COLORS) == claims.VERDICTS
    for resource in ("nutrient_symptoms", "cramp_factors"):
        assert enum(resource, "evidence_grade") == plotting.EVIDENCE_GRADES
    assert set(plotting.EVIDENCE_LABELS) == set(plotting.EVIDENCE_COLORS)
    assert set(plotting.EVIDENCE_LABELS) == set(plotting.EVIDENCE_GRADES)


def test_evidence_against_is_never_counted_with_no_evidence():
    assert not set(claims.AGAINST) & set(claims.NOTHING_EITHER_WAY)
    assert "contradicted" in claims.AGAINST and "no_evidence_found" in claims.NOTHING_EITHER_WAY
    assert "contradicted" in plotting.EVIDENCE_GRADES
    assert "no_evidence_found" in plotting.EVIDENCE_GRADES
    colours = plotting.VERDICT_COLORS
    assert colours["contradicted"] != colours["no_evidence_found"] != colours["not_assessed"]
    assert (
        plotting.EVIDENCE_COLORS["contradicted"] != plotting.EVIDENCE_COLORS["no_evidence_found"]
    )
