"""Verdicts on the guide's claims, on one scale for data and evidence.

The scale keeps apart three things a single "unsupported" would merge: evidence against a claim
(contradicted), no evidence either way (no_evidence_found), and a deliberate decision not to
grade (not_assessed). How sure we can be is a separate column (certainty), not a verdict.

* supported          the evidence agrees with the claim as the guide states it;
* partly_supported   one part holds and another does not (the summary names each part);
* mixed              cited studies of the claim point both ways;
* contradicted       a cited study tested the claim, or its direct consequence, and found
                     against it (data/guide_claims.csv names that study in evidence_against);
* no_evidence_found  the claim is testable, we searched, and found no study either way;
* not_assessed       deliberately not graded (first aid, warning-sign advice);
* no_data            a food claim none of whose foods has a value for its nutrient.

Claims about mechanisms, statistics and advice carry the verdict typed in
data/guide_claims.csv, with its source. Food-source claims ("X, Y and Z are rich in
magnesium") are decided here, from the data, with the FDA's wording rules (21 CFR 101.54)
applied to one amount of each food (BASIS). The claim's wording sets the level it must reach
(guide_claims.claimed_level): "rich in" means an excellent source (>= 20% DV), "good source" or
"supplies" means a good source (>= 10% DV). Then, on the same scale:

* supported          every named food reaches the claimed level;
* partly_supported   at least one named food is a good source (>= 10% DV), but not all reach
                     the claimed level;
* contradicted       no named food is even a good source: the data are the evidence against;
* no_data            none of the named foods has a value for the nutrient.

A claim naming several nutrients ("foods rich in magnesium, potassium and calcium, such as
...") is read generously: each food is judged by its best nutrient among those named.
Foods whose amount is missing are shown, but they neither support nor refute a claim.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cramplab.analysis import EXCELLENT_SOURCE_PCT, GOOD_SOURCE_PCT, amounts, daily_values
from cramplab.data import CourseData, split_list

# The amount of food a food claim is judged on (see analysis.amounts).
BASIS = "serving"

VERDICTS = [
    "supported",
    "partly_supported",
    "mixed",
    "contradicted",
    "no_evidence_found",
    "not_assessed",
    "no_data",
]
VERDICT_LABELS = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "mixed": "Mixed evidence",
    "contradicted": "Contradicted",
    "no_evidence_found": "No evidence found",
    "not_assessed": "Not assessed",
    "no_data": "No data",
}
VERDICT_MEANINGS = {
    "supported": "The evidence agrees with the claim as the guide states it.",
    "partly_supported": "One part of the claim holds; another does not.",
    "mixed": "Studies of the claim point in different directions.",
    "contradicted": "A study tested the claim (or its direct consequence) and found against it.",
    "no_evidence_found": "Testable, but we searched and found no study either way.",
    "not_assessed": "Deliberately not graded: first aid or warning-sign advice no study tests.",
    "no_data": "A food claim none of whose foods has a value for the nutrient.",
}
# Which verdicts say the evidence is against a claim, and which say there is none either way:
# charts and counts keep the two apart.
AGAINST = ["contradicted"]
NOTHING_EITHER_WAY = ["no_evidence_found", "not_assessed", "no_data"]
CERTAINTIES = ["high", "moderate", "low", "very_low"]
LEVEL_THRESHOLD = {"excellent source": EXCELLENT_SOURCE_PCT, "good source": GOOD_SOURCE_PCT}


def food_evidence(
    data: CourseData, foods: list[str], nutrients: list[str], basis: str = BASIS
) -> pd.DataFrame:
    """One row per named food and nutrient: amount, %DV and rank among all foods on a basis."""
    per_amount = amounts(data, basis)
    dv = daily_values(data)
    table = data.foods.set_index("food_id")
    rows = []
    for nutrient_id in nutrients:
        column = per_amount[nutrient_id]
        ranks = column.rank(ascending=False, method="min")
        for food_id in foods:
            amount = column.get(food_id, np.nan)
            rows.append(
                {
                    "food_id": food_id,
                    "name": table.at[food_id, "name"],
                    "nutrient_id": nutrient_id,
                    "serving": table.at[food_id, "serving_desc"],
                    "serving_g": table.at[food_id, "serving_g"],
                    "amount": amount,
                    "percent_dv": amount / dv[nutrient_id] * 100,
                    "rank": ranks.get(food_id, np.nan),
                    "foods_ranked": int(column.notna().sum()),
                }
            )
    evidence = pd.DataFrame(rows)
    evidence["level"] = np.select(
        [
            evidence["percent_dv"] >= EXCELLENT_SOURCE_PCT,
            evidence["percent_dv"] >= GOOD_SOURCE_PCT,
            evidence["percent_dv"].notna(),
        ],
        ["excellent source", "good source", "neither"],
        default="no data",
    )
    return evidence


def food_claim_verdict(evidence: pd.DataFrame, claimed_level: str = "excellent source") -> str:
    """Apply the verdict rule to food_evidence() rows (best nutrient per food)."""
    best = evidence.groupby("food_id", sort=False)["percent_dv"].max().dropna()
    if best.empty:
        return "no_data"
    if (best >= LEVEL_THRESHOLD[claimed_level]).all():
        return "supported"
    if (best >= GOOD_SOURCE_PCT).any():
        return "partly_supported"
    return "contradicted"


def food_claims(data: CourseData, basis: str = BASIS) -> pd.DataFrame:
    """Every food claim with each food it names: one row per claim and food, at the food's best
    %DV among the claim's nutrients, with the FDA word it earns and the claim's verdict."""
    claims = data.guide_claims.set_index("claim_id")
    rows = []
    for claim_id, claim in claims[claims["check_against"] == "data"].iterrows():
        evidence = food_evidence(
            data, split_list(claim["foods"]), split_list(claim["nutrients"]), basis
        )
        best = (
            evidence.sort_values("percent_dv", ascending=False, na_position="last", kind="stable")
            .drop_duplicates("food_id")
            .set_index("food_id")
            .loc[split_list(claim["foods"])]
            .reset_index()
        )
        best.insert(0, "claim_id", claim_id)
        best["claim"] = claim["claim"]
        best["claimed_level"] = claim["claimed_level"]
        best["verdict"] = food_claim_verdict(evidence, claim["claimed_level"])
        rows.append(best)
    return pd.concat(rows, ignore_index=True)


def distinct_foods(table: pd.DataFrame) -> pd.DataFrame:
    """food_claims() collapsed to one row per distinct food: the best FDA word it earns for any
    nutrient any claim names it for, and how many claims name it."""
    order = {"excellent source": 0, "good source": 1, "neither": 2, "no data": 3}
    ranked = table.assign(_order=table["level"].map(order)).sort_values(
        ["_order", "percent_dv"], ascending=[True, False], kind="stable"
    )
    best = ranked.drop_duplicates("food_id").set_index("food_id")
    best["claims"] = table.groupby("food_id")["claim_id"].nunique()
    return best[["name", "nutrient_id", "percent_dv", "level", "claims"]]


def verdicts(data: CourseData, basis: str = BASIS) -> pd.DataFrame:
    """Every claim with its verdict: computed for data claims, cited for evidence claims."""
    claims = data.guide_claims.set_index("claim_id")
    computed = {}
    for claim_id, claim in claims[claims["check_against"] == "data"].iterrows():
        evidence = food_evidence(
            data, split_list(claim["foods"]), split_list(claim["nutrients"]), basis
        )
        computed[claim_id] = food_claim_verdict(evidence, claim["claimed_level"])
    table = claims[["section", "kind", "claim", "check_against", "certainty", "source"]].copy()
    table["verdict"] = pd.Series(computed, dtype="str").reindex(table.index)
    table["verdict"] = table["verdict"].fillna(claims["evidence_verdict"])
    table["basis"] = np.where(
        table["check_against"] == "data", "computed from USDA SR28", "cited evidence"
    )
    return table[["section", "kind", "claim", "verdict", "certainty", "basis", "source"]]


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many claims got each verdict, by kind of claim (rows) and verdict (columns, in the
    order of VERDICTS: the evidence-against column apart from the nothing-either-way ones)."""
    counts = pd.crosstab(table["kind"], table["verdict"])
    present = [v for v in VERDICTS if v in counts.columns]
    return counts[present]
