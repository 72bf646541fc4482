"""Facts stated in notebooks/02_nutrients_and_symptoms.ipynb."""

import pandas as pd

from cramplab_tools.facts import FACTS, Context, FactError


def _links(c: Context) -> pd.DataFrame:
    return c.data.nutrient_symptoms


def _grade(c: Context, nutrient_id: str, symptom_id: str) -> str:
    links = _links(c).set_index(["nutrient_id", "symptom_id", "state"])
    return links.at[(nutrient_id, symptom_id, "deficiency"), "evidence_grade"]


def _signs_per_symptom(c: Context) -> pd.Series:
    """Established signs of deficiency states: distinct nutrients per symptom."""
    links = _links(c)
    signs = links[(links["state"] == "deficiency") & (links["evidence_grade"] == "established")]
    return signs.groupby("symptom_id")["nutrient_id"].nunique()


def _cramp_nutrients(c: Context) -> list[str]:
    links = _links(c)
    rows = links[
        (links["symptom_id"] == "muscle_cramp")
        & (links["state"] == "deficiency")
        & (links["evidence_grade"] == "established")
    ]
    names = c.nutrients["name"].str.split(" (", regex=False).str[0]
    return [names[n][:1].lower() + names[n][1:] for n in rows["nutrient_id"]]


def _guide_links(c: Context) -> pd.Series:
    links = _links(c)
    return links.loc[links["guide_asserts"], "evidence_grade"].value_counts()


@FACTS.value(
    "cramp_established_count", "nutrients whose deficiency has a cramp as an established sign"
)
def _(c: Context):
    return len(_cramp_nutrients(c))


@FACTS.value("cramp_established_names", "those nutrients, in the table's order")
def _(c: Context):
    names = _cramp_nutrients(c)
    return ", ".join(names[:-1]) + " and " + names[-1]


@FACTS.value("vitamin_d_cramp_grade", "the grade of the vitamin D deficiency - cramp link")
def _(c: Context):
    return _grade(c, "vitamin_d", "muscle_cramp")


@FACTS.claim(
    "b_vitamin_cramps_no_evidence",
    "no evidence either way",
    "the B12 and B6 deficiency - cramp links are graded no_evidence_found",
)
def _(c: Context):
    return {_grade(c, n, "muscle_cramp") for n in ("vitamin_b12", "vitamin_b6")} == {
        "no_evidence_found"
    }


@FACTS.claim(
    "very_uncertain_links",
    "night-time cramps from low magnesium",
    "the only very uncertain link the guide makes is magnesium deficiency - night leg cramps",
)
def _(c: Context):
    links = _links(c)
    weak = links[(links["evidence_grade"] == "very_uncertain") & links["guide_asserts"]]
    return list(zip(weak["nutrient_id"], weak["symptom_id"], strict=True)) == [
        ("magnesium", "nocturnal_leg_cramp")
    ]


@FACTS.value("weakness_shared_by", "deficiencies with muscle weakness as an established sign")
def _(c: Context):
    return int(_signs_per_symptom(c)["muscle_weakness"])


@FACTS.value(
    "tingling_shared_by", "deficiencies with tingling (paraesthesia) as an established sign"
)
def _(c: Context):
    return int(_signs_per_symptom(c)["paraesthesia"])


@FACTS.claim(
    "specific_symptoms_one_each",
    "belong to one deficiency each",
    "tremor, headache and seizures are each an established sign of one deficiency only",
)
def _(c: Context):
    counts = _signs_per_symptom(c)
    return all(counts[s] == 1 for s in ("tremor", "headache", "seizures"))


@FACTS.value("guide_links_established", "the guide's symptom links graded established")
def _(c: Context):
    return int(_guide_links(c).get("established", 0))


@FACTS.value("guide_links_total", "the symptom links the guide makes")
def _(c: Context):
    return int(_guide_links(c).sum())


@FACTS.value("guide_links_no_evidence", "the guide's symptom links graded no_evidence_found")
def _(c: Context):
    return int(_guide_links(c).get("no_evidence_found", 0))


@FACTS.value("guide_links_very_uncertain", "the guide's symptom links graded very_uncertain")
def _(c: Context):
    return int(_guide_links(c).get("very_uncertain", 0))


def _omitted(c: Context) -> pd.DataFrame:
    factors = c.data.cramp_factors
    return factors[~factors["named_by_guide"] & (factors["evidence_grade"] == "established")]


@FACTS.value("established_factors_guide_omits", "established cramp factors the guide never names")
def _(c: Context):
    return len(_omitted(c))


@FACTS.value("established_factors_guide_omits_names", "their names, in the table's order")
def _(c: Context):
    names = _omitted(c)["name"].str.lower().tolist()
    return ", ".join(names[:-1]) + " and " + names[-1]


@FACTS.claim(
    "guide_factor_grades",
    "caffeine has no evidence either way",
    "of the factors the guide names, dehydration and sweat electrolyte loss are among the very "
    "uncertain, and only caffeine has no evidence found",
)
def _(c: Context):
    factors = c.data.cramp_factors
    named = factors[factors["named_by_guide"]]
    grade = named.set_index("factor_id")["evidence_grade"]
    weak = set(grade[grade == "very_uncertain"].index)
    return {"dehydration", "sweat_electrolyte_loss"} <= weak and list(
        grade[grade == "no_evidence_found"].index
    ) == ["caffeine"]


@FACTS.value("guide_links_limited", "the guide's symptom links graded limited")
def _(c: Context):
    return int(_guide_links(c).get("limited", 0))


@FACTS.value("excess_links", "rows of nutrient_symptoms about an excess, not a deficiency")
def _(c: Context):
    return int((_links(c)["state"] == "excess").sum())


@FACTS.claim(
    "excess_links_are_b6",
    "vitamin B6",
    "every excess row of nutrient_symptoms is about vitamin B6",
)
def _(c: Context):
    links = _links(c)
    return set(links.loc[links["state"] == "excess", "nutrient_id"]) == {"vitamin_b6"}


@FACTS.value("b6_adult_ul", "the adult UL for vitamin B6, in mg (IOM 1998)")
def _(c: Context):
    refs = c.data.intake_references
    adults = refs[
        (refs["nutrient_id"] == "vitamin_b6")
        & refs["group"].isin(["males", "females"])
        & (refs["age_min"] >= 19)
    ]
    values = set(adults["ul"].dropna())
    if len(values) != 1:
        raise FactError(f"vitamin B6: the adult ULs are not one value ({sorted(values)})")
    return float(values.pop())
