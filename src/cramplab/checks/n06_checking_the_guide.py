"""Self-checks for notebook 06_checking_the_guide."""

from __future__ import annotations

import functools

import pandas as pd

from cramplab import claims
from cramplab.checks.core import data, exercise, right, same_items

__all__ = [
    "claims_decided_by_data_and_evidence",
    "foods_that_depend_on_the_canned_fish_amount",
    "magnesium_claims_with_a_very_uncertain_part",
]


@functools.cache
def _parts() -> pd.DataFrame:
    """Every claim part's computed verdict, once per kernel (the diet parts ask the planner)."""
    return claims.part_verdicts(data())


def _claim(claim_id: str):
    return data().guide_claims.set_index("claim_id").loc[claim_id]


DATA_BASES = ["food_words", "diet_planner"]  # the bases decided by USDA data (claims.BASES)


@exercise(name="answer_6_1")
def claims_decided_by_data_and_evidence(answer) -> None:
    """Exercise 6.1: claims with a part decided by the data and a part decided by evidence."""
    parts = data().claim_parts
    by_data = parts["basis"].isin(DATA_BASES)
    by_evidence = ~by_data & (parts["basis"] != "not_assessed")
    both = (
        parts.assign(data=by_data, evidence=by_evidence)
        .groupby("claim_id")[["data", "evidence"]]
        .any()
    )
    expected = sorted(both.index[both["data"] & both["evidence"]])
    data_claims = set(both.index[both["data"]])
    same_items(
        answer,
        expected,
        what="the claim ids",
        hints=[
            (
                lambda items: set(items) == data_claims,
                "some of these are decided by the data alone: keep the claims that also have "
                "a part decided by evidence.",
            ),
            (
                lambda items: bool(set(items) - data_claims),
                "some of these have no part decided by the data (food_words or diet_planner).",
            ),
        ],
        hint="Per claim, ask two questions of its parts' basis (a groupby with any).",
    )
    right(
        f"{', '.join(expected)}: each pairs a part the data decide (what foods give) with a "
        "part only evidence can (what that does to cramps); one verdict combines both."
    )


def _canned_fish_evidence() -> pd.DataFrame:
    rows = []
    for claim_id in ("C26", "C28"):
        claim = _claim(claim_id)
        rows.append(
            claims.food_evidence(data(), claim["foods"].split(";"), claim["nutrients"].split(";"))
        )
    return pd.concat(rows, ignore_index=True)


@exercise(name="answer_6_2")
def foods_that_depend_on_the_canned_fish_amount(answer) -> None:
    """Exercise 6.2: foods of C26 and C28 whose word differs between the canned-fish amounts."""
    evidence = _canned_fish_evidence()
    unresolved = evidence[evidence["grams_alt"].notna()]
    expected = sorted(
        unresolved.loc[unresolved["level"] != unresolved["level_alt"], "food_id"].unique()
    )
    canned = set(unresolved["food_id"])
    same_items(
        answer,
        expected,
        what="the food_ids",
        hints=[
            (
                lambda items: bool(set(items) - canned),
                "only canned fish has an unresolved reference amount: the other foods are "
                "judged on one amount.",
            ),
            (
                lambda items: set(expected) < set(items),
                "some canned fish earns the same word on both amounts.",
            ),
        ],
        hint="Compare level with level_alt for the foods that have a grams_alt.",
    )
    right(
        f"{', '.join(expected)}: its word depends on the unresolved amount, yet no claim's verdict "
        "does, because other foods settle each claim."
    )


@exercise(name="answer_6_3")
def magnesium_claims_with_a_very_uncertain_part(answer) -> None:
    """Exercise 6.3: claims about magnesium with at least one very uncertain part."""
    parts = _parts()
    about = data().guide_claims.loc[
        data().guide_claims["nutrients"].str.contains("magnesium", na=False), "claim_id"
    ]
    uncertain = set(parts.loc[parts["verdict"] == "very_uncertain", "claim_id"])
    expected = sorted(uncertain & set(about))
    others = uncertain - set(about)
    same_items(
        answer,
        expected,
        what="the claim ids",
        hints=[
            (
                lambda items: bool(set(items) & others),
                "some of these have a very uncertain part but do not name magnesium.",
            ),
        ],
        hint="Keep the parts whose verdict is very_uncertain, then the claims that name "
        "magnesium.",
    )
    right(
        f"{', '.join(expected)}: each rests a part on trials of people not selected for low "
        "magnesium, or on studies as weak; a trial in deficient people would settle most."
    )
