"""Self-checks for notebook 06_checking_the_guide."""

from __future__ import annotations

from cramplab import claims
from cramplab.checks.core import data, exercise, one_of, right, same_items, wrong

__all__ = ["c24_words_that_change", "magnesium_claims_contradicted", "verdict_on_c26"]
FOOD_VERDICTS = ["supported", "partly_supported", "contradicted", "no_data"]


def _claim(claim_id: str):
    return data().guide_claims.set_index("claim_id").loc[claim_id]


@exercise
def verdict_on_c26(answer) -> None:
    """Exercise 6.1: the verdict on claim C26 (fatty fish and fortified dairy, vitamin D)."""
    claim = _claim("C26")
    evidence = claims.food_evidence(
        data(), claim["foods"].split(";"), claim["nutrients"].split(";")
    )
    expected = claims.food_claim_verdict(evidence, claim["claimed_level"])
    given = one_of(answer, FOOD_VERDICTS, what="a verdict")
    if given != expected:
        on_serving = claims.food_claim_verdict(
            claims.food_evidence(
                data(), claim["foods"].split(";"), claim["nutrients"].split(";"), "serving"
            ),
            claim["claimed_level"],
        )
        if given == on_serving and on_serving != expected:
            wrong("that is the verdict on the household serving; the FDA's rule uses the RACC.")
        wrong(
            "compare each named food's level with the level the claim asks for "
            f"({claim['claimed_level']}), on the reference amount."
        )
    short = (
        evidence.loc[evidence["level"].isin(["good source", "neither"]), "name"]
        .str.split(",")
        .str[0]
    )
    right(
        f"{expected.replace('_', ' ')}: below 20% DV per reference amount: "
        f"{', '.join(dict.fromkeys(short))}."
    )


@exercise
def c24_words_that_change(answer) -> None:
    """Exercise 6.2: foods of C24 whose FDA word differs between serving and RACC."""
    foods = _claim("C24")["foods"].split(";")
    level = {
        basis: claims.food_evidence(data(), foods, ["potassium"], basis).set_index("food_id")[
            "level"
        ]
        for basis in ("serving", "racc")
    }
    expected = sorted(level["racc"].index[level["racc"] != level["serving"]])
    same_items(
        answer,
        expected,
        what="the food_ids",
        hints=[
            (
                lambda items: set(expected) < set(items),
                "some of these earn the same word on both amounts.",
            ),
        ],
        hint="Compare each food's level on the household serving with its level on the "
        "reference amount.",
    )
    right(
        f"{', '.join(expected)}: the same food earns a different word when the amount it is "
        "judged on changes."
    )


@exercise
def magnesium_claims_contradicted(answer) -> None:
    """Exercise 6.3: claims about magnesium whose verdict is contradicted."""
    verdicts = claims.verdicts(data())
    about = (
        data().guide_claims.set_index("claim_id")["nutrients"].str.contains("magnesium", na=False)
    )
    expected = sorted(verdicts.index[about & (verdicts["verdict"] == "contradicted")])
    unsettled = set(
        verdicts.index[about & verdicts["verdict"].isin(["mixed", "no_evidence_found"])]
    )
    same_items(
        answer,
        expected,
        what="the claim ids",
        hints=[
            (
                lambda items: bool(set(items) & unsettled),
                "some of these are mixed or have no evidence found: the studies disagree or "
                "we found no study either way, which is not the same as contradicted.",
            ),
        ],
        hint="Keep the claims that name magnesium and whose verdict is contradicted.",
    )
    right(
        f"{', '.join(expected)}: trials or cohorts tested these magnesium claims and found "
        "against them."
    )
