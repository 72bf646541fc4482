"""Self-checks for notebook 06_checking_the_guide."""

from __future__ import annotations

from cramplab import claims
from cramplab.checks.core import data, exercise, one_of, right, same_items, wrong

__all__ = ["magnesium_claims_without_support", "verdict_on_c26"]


@exercise
def verdict_on_c26(answer) -> None:
    """Exercise 6.1: the verdict on claim C26 (fatty fish and fortified dairy, vitamin D)."""
    claim = data().guide_claims.set_index("claim_id").loc["C26"]
    evidence = claims.food_evidence(
        data(), claim["foods"].split(";"), claim["nutrients"].split(";")
    )
    expected = claims.food_claim_verdict(evidence, claim["claimed_level"])
    given = one_of(answer, claims.VERDICTS, what="a verdict")
    if given != expected:
        wrong(
            "compare each named food's level with the level the claim asks for "
            f"({claim['claimed_level']})."
        )
    short = evidence.loc[evidence["percent_dv"] < 20, "name"].tolist()
    right(f"{expected}: below 20% DV per serving: {', '.join(short)}.")


@exercise
def magnesium_claims_without_support(answer) -> None:
    """Exercise 6.2: claims about magnesium whose verdict is not_supported or unsupported."""
    verdicts = claims.verdicts(data())
    about = (
        data().guide_claims.set_index("claim_id")["nutrients"].str.contains("magnesium", na=False)
    )
    expected = sorted(
        verdicts.index[about & verdicts["verdict"].isin(["not_supported", "unsupported"])]
    )
    same_items(
        answer,
        expected,
        what="the claim ids",
        hint="Keep the claims that name magnesium and are not_supported or unsupported.",
    )
    right(f"{', '.join(expected)}: the magnesium claims without support.")
