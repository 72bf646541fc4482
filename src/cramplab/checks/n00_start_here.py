"""Self-checks for notebook 00_start_here."""

from __future__ import annotations

from cramplab import analysis
from cramplab.checks.core import data, exercise, number, one_of, right, same_items, wrong

__all__ = ["claims_checked_against_data", "cramp_nutrient_ids", "most_common_claim_kind"]


@exercise
def claims_checked_against_data(answer) -> None:
    """Exercise 0.1: how many of the guide's claims are checked against data?"""
    claims = data().guide_claims
    by_data = claims["check_against"] == "data"
    expected = int(by_data.sum())
    number(
        answer,
        expected,
        what="the number of claims checked against data",
        hints={
            len(claims): "that counts every claim; count only those checked against data.",
            int((~by_data).sum()): "that counts the claims checked against evidence.",
        },
        hint="Compare the column check_against with 'data', then count the matches.",
    )
    kinds = " and ".join(sorted(set(claims.loc[by_data, "kind"])))
    right(
        f"{expected} of the {len(claims)} claims have check_against == 'data': "
        f"they are {kinds} claims, about what foods contain, which food data can measure."
    )


@exercise
def most_common_claim_kind(answer) -> None:
    """Exercise 0.2: which kind of claim does the guide make most often?"""
    claims = data().guide_claims
    counts = claims["kind"].value_counts()
    kinds = sorted(counts.index)
    given = one_of(answer, kinds, what="a kind of claim")
    if counts[given] < counts.max():
        wrong(f"the guide makes {counts[given]} {given!r} claims; another kind has more.")
    against = set(claims.loc[claims["kind"] == given, "check_against"])
    how = f", all checked against {against.pop()}" if len(against) == 1 else ""
    right(
        f"{given!r} has {counts[given]} of the {len(claims)} claims, "
        f"more than any other kind{how}."
    )


@exercise
def cramp_nutrient_ids(answer) -> None:
    """Exercise 0.4: the nutrient_ids of the eight cramp nutrients."""
    nutrients = data().nutrients
    expected = analysis.cramp_nutrients(data())
    context = nutrients.loc[nutrients["kind"] == "context", "nutrient_id"].tolist()
    is_context = f"{' and '.join(context)} are context (kind 'context'), not cramp nutrients."
    names = set(nutrients["name"]) - set(nutrients["nutrient_id"])
    given = same_items(
        answer,
        expected,
        what="the cramp nutrients",
        hints=[
            (lambda items: bool(set(items) & set(context)), is_context),
            (lambda items: bool(set(items) & names), "give the nutrient_id values, not names."),
        ],
        hint="Keep every nutrient whose kind is not context.",
    )
    kinds = nutrients.set_index("nutrient_id").loc[given, "kind"].value_counts().sort_index()
    right(
        f"these {len(given)} are every nutrient whose kind is not 'context' ("
        + " and ".join(f"{count} {kind}s" for kind, count in kinds.items())
        + "): the ones the guide ties to cramps."
    )
