"""Self-checks for notebook 00_start_here."""

from __future__ import annotations

from cramplab import analysis
from cramplab.checks.core import data, exercise, number, one_of, right, same_items, wrong

__all__ = ["claims_naming_magnesium", "cramp_nutrient_ids", "vitamin_d_claim_kind"]


@exercise(name="answer_0_1")
def claims_naming_magnesium(answer) -> None:
    """Exercise 0.1: how many of the guide's claims name magnesium (column nutrients)?"""
    claims = data().guide_claims
    names = claims["nutrients"].str.contains("magnesium", na=False)
    expected = int(names.sum())
    exact = int((claims["nutrients"] == "magnesium").sum())
    number(
        answer,
        expected,
        what="the number of claims that name magnesium",
        hints={
            len(claims): "that counts every claim; count only those whose nutrients name it.",
            exact: "== finds only the claims about magnesium alone; a claim can name several "
            "nutrients, separated by ;.",
        },
        hint="Look for the text magnesium inside the nutrients column (str.contains).",
    )
    right(
        f"{expected} of the {len(claims)} claims name magnesium, {exact} of them magnesium "
        "alone: the guide's favourite nutrient."
    )


@exercise(name="answer_0_2")
def vitamin_d_claim_kind(answer) -> None:
    """Exercise 0.2: the most common kind among the claims that name vitamin D."""
    claims = data().guide_claims
    about = claims[claims["nutrients"].str.contains("vitamin_d", na=False)]
    counts = about["kind"].value_counts()
    overall = claims["kind"].value_counts().idxmax()
    given = one_of(answer, sorted(claims["kind"].unique()), what="a kind of claim")
    if given == overall and counts.get(given, 0) < counts.max():
        wrong(
            f"{given!r} is the most common kind of all claims; count only those naming vitamin D."
        )
    if counts.get(given, 0) < counts.max():
        wrong(
            f"{counts.get(given, 0)} claims naming vitamin D are {given!r}; another kind has more."
        )
    right(
        f"{counts[given]} of the {len(about)} claims naming vitamin D are {given!r}, while "
        f"the guide as a whole makes {overall!r} claims most often."
    )


@exercise(name="answer_0_4")
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
