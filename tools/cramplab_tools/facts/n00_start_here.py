"""Facts stated in notebooks/00_start_here.ipynb."""

from cramplab import analysis
from cramplab.data import CourseData
from cramplab_tools.facts import FACTS, Context


@FACTS.value("table_count", "tables in the data package")
def _(c: Context):
    return len(CourseData.table_names())


@FACTS.value("nutrient_count", "rows of nutrients.csv")
def _(c: Context):
    return len(c.data.nutrients)


@FACTS.value("cramp_nutrient_count", "nutrients the guide ties to cramps (kind is not context)")
def _(c: Context):
    return len(analysis.cramp_nutrients(c.data))


@FACTS.value("context_nutrient_count", "nutrients kept for context (energy, water)")
def _(c: Context):
    return int((c.data.nutrients["kind"] == "context").sum())


@FACTS.value("claim_count", "the guide's claims in guide_claims.csv")
def _(c: Context):
    return len(c.data.guide_claims)


@FACTS.claim(
    "data_claim_sections",
    "the guide's nutrient comparison table, its FAQ and its prevention steps",
    "the claims checked against data come from exactly these three sections of the guide",
)
def _(c: Context):
    claims = c.data.guide_claims
    sections = set(claims.loc[claims["check_against"] == "data", "section"])
    return sections == {"Nutrient comparison table", "FAQ", "Prevention steps"}
