"""Verdicts on the guide's claims.

Food-source claims ("X, Y and Z are rich in magnesium") are decided by the data, with the
FDA's own wording rules (21 CFR 101.54) applied to one typical serving. The claim's wording
sets the level it must reach (guide_claims.claimed_level): "rich in" means an excellent source
(>= 20% DV), "good source" or "supplies" means a good source (>= 10% DV).

* supported          every named food reaches the claimed level;
* partly_supported   at least one named food is a good source (>= 10% DV), but not all reach
                     the claimed level;
* not_supported      no named food reaches even a good source;
* no_data            none of the named foods has a value for the nutrient.

A claim naming several nutrients ("foods rich in magnesium, potassium and calcium, such as
...") is read generously: each food is judged by its best nutrient among those named.
Foods whose amount is missing are shown, but they neither support nor refute a claim.

Claims about mechanisms, statistics and advice carry the verdict of the cited evidence,
typed in data/guide_claims.csv with its source.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cramplab.analysis import EXCELLENT_SOURCE_PCT, GOOD_SOURCE_PCT, amounts, daily_values
from cramplab.data import CourseData, split_list

VERDICTS = ["supported", "partly_supported", "not_supported", "unsupported", "no_data"]
VERDICT_LABELS = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "not_supported": "Not supported",
    "unsupported": "Unsupported by cited evidence",
    "no_data": "No data",
}


def food_evidence(data: CourseData, foods: list[str], nutrients: list[str]) -> pd.DataFrame:
    """One row per named food and nutrient: serving, amount, %DV, rank among all foods."""
    per_serving = amounts(data, "serving")
    dv = daily_values(data)
    table = data.foods.set_index("food_id")
    rows = []
    for nutrient_id in nutrients:
        column = per_serving[nutrient_id]
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


LEVEL_THRESHOLD = {"excellent source": EXCELLENT_SOURCE_PCT, "good source": GOOD_SOURCE_PCT}


def food_claim_verdict(evidence: pd.DataFrame, claimed_level: str = "excellent source") -> str:
    """Apply the verdict rule to food_evidence() rows (best nutrient per food)."""
    best = evidence.groupby("food_id", sort=False)["percent_dv"].max().dropna()
    if best.empty:
        return "no_data"
    if (best >= LEVEL_THRESHOLD[claimed_level]).all():
        return "supported"
    if (best >= GOOD_SOURCE_PCT).any():
        return "partly_supported"
    return "not_supported"


def verdicts(data: CourseData) -> pd.DataFrame:
    """Every claim with its verdict: computed for data claims, cited for evidence claims."""
    claims = data.guide_claims.set_index("claim_id")
    computed = {}
    for claim_id, claim in claims[claims["check_against"] == "data"].iterrows():
        evidence = food_evidence(data, split_list(claim["foods"]), split_list(claim["nutrients"]))
        computed[claim_id] = food_claim_verdict(evidence, claim["claimed_level"])
    table = claims[["section", "kind", "claim", "check_against", "source"]].copy()
    table["verdict"] = pd.Series(computed, dtype="str").reindex(table.index)
    table["verdict"] = table["verdict"].fillna(claims["evidence_verdict"])
    table["basis"] = np.where(
        table["check_against"] == "data", "computed from USDA SR28", "cited evidence"
    )
    return table[["section", "kind", "claim", "verdict", "basis", "source"]]


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many claims got each verdict, by kind of claim (rows) and verdict (columns)."""
    counts = pd.crosstab(table["kind"], table["verdict"])
    present = [v for v in VERDICTS if v in counts.columns]
    return counts[present]
