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
magnesium") are decided here, from the data, by the FDA's rule: the words are defined per
reference amount customarily consumed (RACC, 21 CFR 101.12 and 101.54), so each food is judged
on its %DV per RACC (BASIS). The claim's wording sets the level it must reach
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

Calcium as absorbed (absorbed=True): the FDA's words count the calcium a food contains; how
much the body takes up differs (spinach's oxalate binds most of its calcium, kale's is absorbed
about as well as milk's). With absorbed=True each food's calcium is judged by its milk-equivalent
%DV (analysis.milk_equivalent_calcium_pct_dv): its %DV scaled by its absorption relative to milk
in the same study. A food with no absorption figure has no such value: its calcium then neither
supports nor refutes the claim (nothing is assumed). This is the course's reading, not an FDA
rule; verdicts() reports it beside the FDA verdict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cramplab.analysis import (
    EXCELLENT_SOURCE_PCT,
    GOOD_SOURCE_PCT,
    SERVING_COLUMNS,
    amounts,
    basis_changes,
    claim_level,
    daily_values,
    milk_equivalent_calcium_pct_dv,
    serving_grams,
    shown_percent,
)
from cramplab.data import CourseData, split_list

# The amount of food a food claim is judged on: the FDA's reference amount (analysis.amounts).
BASIS = "racc"

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
    data: CourseData,
    foods: list[str],
    nutrients: list[str],
    basis: str = BASIS,
    absorbed: bool = False,
) -> pd.DataFrame:
    """One row per named food and nutrient: grams, amount, %DV, FDA word and rank on a basis.

    rank is among all foods with a value on the basis (1 = richest). absorbed=True judges
    calcium by its milk-equivalent %DV (NaN, level 'no figure', where no absorption figure
    exists); other nutrients are unchanged.
    """
    per_amount = amounts(data, basis)
    grams = serving_grams(data, basis) if basis in SERVING_COLUMNS else None
    dv = daily_values(data)
    names = data.foods.set_index("food_id")["name"]
    equivalent = milk_equivalent_calcium_pct_dv(data, basis) if absorbed else None
    rows = []
    for nutrient_id in nutrients:
        column = per_amount[nutrient_id]
        # Ties are numbered in table order, as analysis.rank_foods numbers them.
        ranks = column.rank(ascending=False, method="first")
        for food_id in foods:
            amount = column.get(food_id, np.nan)
            percent = amount / dv[nutrient_id] * 100
            if equivalent is not None and nutrient_id == "calcium":
                percent = equivalent.get(food_id, np.nan)
            rows.append(
                {
                    "food_id": food_id,
                    "name": names[food_id],
                    "nutrient_id": nutrient_id,
                    "grams": np.nan if grams is None else grams.get(food_id, np.nan),
                    "amount": amount,
                    "percent_dv": percent,
                    "rank": ranks.get(food_id, np.nan),
                    "foods_ranked": int(column.notna().sum()),
                }
            )
    evidence = pd.DataFrame(rows)
    evidence["level"] = claim_level(evidence["percent_dv"]).to_numpy()
    if absorbed:
        unknown = (evidence["nutrient_id"] == "calcium") & evidence["percent_dv"].isna()
        evidence.loc[unknown & evidence["amount"].notna(), "level"] = "no figure"
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


def food_claims(data: CourseData, basis: str = BASIS, absorbed: bool = False) -> pd.DataFrame:
    """Every food claim with each food it names: one row per claim and food, at the food's best
    %DV among the claim's nutrients, with the FDA word it earns and the claim's verdict."""
    claims = data.guide_claims.set_index("claim_id")
    rows = []
    for claim_id, claim in claims[claims["check_against"] == "data"].iterrows():
        evidence = food_evidence(
            data, split_list(claim["foods"]), split_list(claim["nutrients"]), basis, absorbed
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
    order = {"excellent source": 0, "good source": 1, "neither": 2, "no figure": 3, "no data": 4}
    ranked = table.assign(_order=table["level"].map(order)).sort_values(
        ["_order", "percent_dv"], ascending=[True, False], kind="stable"
    )
    best = ranked.drop_duplicates("food_id").set_index("food_id")
    best["claims"] = table.groupby("food_id")["claim_id"].nunique()
    return best[["name", "nutrient_id", "percent_dv", "level", "claims"]]


def verdicts(data: CourseData, basis: str = BASIS) -> pd.DataFrame:
    """Every claim with its verdict: computed for data claims, cited for evidence claims.

    verdict is the FDA's rule for food claims (per reference amount on the default basis);
    verdict_absorbed reads the calcium of calcium claims as absorbed (see the module's
    docstring) and equals verdict for every other claim.
    """
    claims = data.guide_claims.set_index("claim_id")
    computed, absorbed = {}, {}
    for claim_id, claim in claims[claims["check_against"] == "data"].iterrows():
        foods, nutrients = split_list(claim["foods"]), split_list(claim["nutrients"])
        evidence = food_evidence(data, foods, nutrients, basis)
        computed[claim_id] = food_claim_verdict(evidence, claim["claimed_level"])
        if "calcium" in nutrients:
            as_absorbed = food_evidence(data, foods, nutrients, basis, absorbed=True)
            absorbed[claim_id] = food_claim_verdict(as_absorbed, claim["claimed_level"])
    table = claims[["section", "kind", "claim", "check_against", "certainty", "source"]].copy()
    table["verdict"] = pd.Series(computed, dtype="str").reindex(table.index)
    table["verdict"] = table["verdict"].fillna(claims["evidence_verdict"])
    table["verdict_absorbed"] = pd.Series(absorbed, dtype="str").reindex(table.index)
    table["verdict_absorbed"] = table["verdict_absorbed"].fillna(table["verdict"])
    table["basis"] = np.where(
        table["check_against"] == "data", "computed from USDA SR28", "cited evidence"
    )
    columns = ["section", "kind", "claim", "verdict", "verdict_absorbed", "certainty"]
    return table[[*columns, "basis", "source"]]


def basis_flips(data: CourseData, bases: tuple[str, str] = ("serving", BASIS)) -> pd.DataFrame:
    """The foods of the food claims whose FDA word, for a nutrient their claim names, differs
    between two bases (household serving and reference amount by default), with each claim's
    verdict on both: what changes when the yardstick changes."""
    claims = data.guide_claims.set_index("claim_id")
    rows = []
    for claim_id, claim in claims[claims["check_against"] == "data"].iterrows():
        foods, nutrients = split_list(claim["foods"]), split_list(claim["nutrients"])
        changes = basis_changes(data, bases, nutrients=nutrients, foods=foods)
        verdict = {b: food_claim_verdict(food_evidence(data, foods, nutrients, b),
                                         claim["claimed_level"]) for b in bases}  # fmt: skip
        changes.insert(0, "claim_id", claim_id)
        for basis in bases:
            changes[f"verdict_{basis}"] = verdict[basis]
        rows.append(changes)
    return pd.concat(rows, ignore_index=True)


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many claims got each verdict, by kind of claim (rows) and verdict (columns, in the
    order of VERDICTS: the evidence-against column apart from the nothing-either-way ones)."""
    counts = pd.crosstab(table["kind"], table["verdict"])
    present = [v for v in VERDICTS if v in counts.columns]
    return counts[present]


def for_display(table: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """A table as the course prints it: %DV columns (names with "percent" or "pct") by
    analysis.shown_percent (rounded, but never up onto a claim threshold the value has not
    reached), other numbers rounded to `decimals`."""
    shown = table.copy()
    for column in shown.columns:
        if not pd.api.types.is_float_dtype(shown[column]):
            continue
        if "percent" in column or "pct" in column:
            shown[column] = shown_percent(shown[column].to_numpy(), decimals)
        else:
            shown[column] = shown[column].round(decimals)
    return shown
