"""The publishing texts of every course figure: title, caption, alt text and sources.

A notebook's figure cell holds the analysis and the plot a student reads; what the figure says
when it is published (its title, the caption under it in the handout and on the site, the alt
text a screen reader speaks, the source line) lives here, one record per figure name, computed
from data/ like the prose facts, so a title that states a finding changes when the data do.

plotting.heading(fig, NAME) draws the record's title on the figure, plotting.add_credit(fig,
NAME) its source line, and plotting.save_figure(fig, NAME) stores title, caption, alt text and
source in the PNG and SVG (figures/README.md, the handout and the site read them from there).

A title may hold "\\n": the figure draws it on two lines there; everywhere else it reads as one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from cramplab import analysis, claims, plan
from cramplab.data import CourseData, load
from cramplab.plotting import EVIDENCE_GRADES, EVIDENCE_LABELS, SR28_SOURCE


@dataclass(frozen=True)
class FigureText:
    """What a figure says when published. title may hold "\\n" (where the figure breaks it)."""

    title: str
    caption: str
    alt: str
    source: str = SR28_SOURCE  # stored in the files' metadata
    credit: str = SR28_SOURCE  # the source line drawn under the figure
    wrap: int | None = None  # the drawn title wrapped to this many characters, else as written

    @property
    def title_text(self) -> str:
        """The title as one line of text (the files' metadata, the handout, the site)."""
        return self.title.replace("\n", " ")

    @property
    def drawn_title(self) -> str:
        return textwrap.fill(self.title, self.wrap) if self.wrap else self.title


FIGURES: dict[str, Callable[[CourseData], FigureText]] = {}


def figure(name: str):
    """Register the function that computes a figure's texts from the data.

    >>> from cramplab import load
    >>> @figure("99_demo")
    ... def _demo(data):
    ...     count = len(data.foods)
    ...     return FigureText(title=f"{count} foods", caption="The foods.", alt="A list.")
    >>> record("99_demo", load()).title
    '148 foods'
    >>> del FIGURES["99_demo"]  # the example's figure is not one of the course's
    """

    def register(function: Callable[[CourseData], FigureText]):
        FIGURES[name] = function
        return function

    return register


@lru_cache(maxsize=4)
def _default_data() -> CourseData:
    return load()


def record(name: str, data: CourseData | None = None) -> FigureText:
    """The texts of the figure called name, computed from data (default: the clone's data/).

    >>> from cramplab import load
    >>> text = record("05_effect_intervals", load())
    >>> text.title
    "5 of 7 ratios exclude 'no effect'; the magnesium trials' risk ratio of 1.04 does not"
    >>> text.credit
    'Sources: the studies cited in claim_studies (full citations in its source column)'
    """
    if name not in FIGURES:
        raise KeyError(
            f"no figure texts for {name!r}: add a record in src/cramplab/figure_texts.py"
        )
    return _default_record(name) if data is None else FIGURES[name](data)


@cache
def _default_record(name: str) -> FigureText:
    # heading, add_credit and save_figure each ask for the record: computed once
    return FIGURES[name](_default_data())


def _and_list(words: list[str]) -> str:
    """'a, b and c'."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


# --- 02 nutrients and symptoms --------------------------------------------------------------

SYMPTOM_SOURCES = (
    "Sources: the clinical references and studies cited in each row of nutrient_symptoms"
)
SYMPTOM_METADATA = "Clinical references and studies cited in cramplab data/nutrient_symptoms.csv"


@figure("02_evidence_matrix")
def _evidence_matrix(data: CourseData) -> FigureText:
    links = data.nutrient_symptoms
    names = data.nutrients.set_index("nutrient_id")["name"]
    short_names = names.str.split(" (", regex=False).str[0].map(lambda n: n[0].lower() + n[1:])
    symptom_names = data.symptoms.set_index("symptom_id")["name"]
    table = links.assign(
        nutrient=links["nutrient_id"].map(names)
        + links["state"].map({"deficiency": "", "excess": " (excess)"}),
        symptom=links["symptom_id"].map(symptom_names),
        code=1,
    )
    rows, columns = table.pivot(index="symptom", columns="nutrient", values="code").shape
    cramp_signs = links[
        (links["symptom_id"] == "muscle_cramp")
        & (links["state"] == "deficiency")
        & (links["evidence_grade"] == "established")
    ]
    cramp_nutrients = cramp_signs["nutrient_id"].map(short_names).tolist()
    established_names = _and_list(cramp_nutrients)
    adults = data.intake_references.query("nutrient_id == 'vitamin_b6' and age_min >= 19")
    b6_ul = adults["ul"].max()  # the adult UL: the same at every adult life stage
    return FigureText(
        title=f"A cramp is an established sign of low {established_names}",
        caption=(
            "Each coloured cell links a nutrient's deficiency (or, for vitamin B6, an excess from "
            f"supplements; the adult UL is {b6_ul:g} mg a day) to a symptom, coloured by the grade "
            "of the evidence; G marks the links the guide makes, and grey means no evidence either "
            "way, not evidence against."
        ),
        alt=(
            f"Heatmap of {rows} symptoms by {columns} nutrient states. In the muscle cramp row the "
            f"cells for {established_names} are blue (established); the guide's cramp links for "
            "the other nutrients are lighter: limited, or grey for no evidence found."
        ),
        source=SYMPTOM_METADATA,
        credit=SYMPTOM_SOURCES,
        wrap=62,
    )


@figure("02_guide_links_by_grade")
def _guide_links_by_grade(data: CourseData) -> FigureText:
    grades, labels = EVIDENCE_GRADES, EVIDENCE_LABELS
    links = data.nutrient_symptoms
    by_grade = pd.crosstab(links["guide_asserts"], links["evidence_grade"]).reindex(
        columns=grades, fill_value=0
    )
    guide_links = by_grade.loc[True]
    return FigureText(
        title=(
            f"{guide_links['established']} of the guide's {guide_links.sum()} symptom links are "
            f"established signs; {guide_links['no_evidence_found']} have no evidence either way"
        ),
        caption=(
            "The nutrient-symptom links the guide makes, counted by the grade of the evidence for "
            "each; no evidence found (we searched and found no study either way) is counted apart "
            "from contradicted (tested, and found against)."
        ),
        alt=f"Horizontal bar chart of the guide's {guide_links.sum()} links: "
        + ", ".join(f"{guide_links[g]} {labels[g].lower()}" for g in grades)
        + ".",
        source=SYMPTOM_METADATA,
        credit=SYMPTOM_SOURCES,
        wrap=68,
    )


# --- 03 food sources ------------------------------------------------------------------------


def _guide_picks(data: CourseData) -> pd.DataFrame:
    """Each food-nutrient pair the guide's checkable food claims name (notebook 03's picks)."""
    guide = data.guide_claims
    food_claims = guide[(guide["kind"] == "food_source") & (guide["check_against"] == "data")]
    return (
        food_claims.assign(
            food_id=food_claims["foods"].str.split(";"),
            nutrient_id=food_claims["nutrients"].str.split(";"),
        )
        .explode("food_id")
        .explode("nutrient_id")[["claim_id", "food_id", "nutrient_id"]]
        .drop_duplicates(["food_id", "nutrient_id"])
    )


@figure("03_three_views_magnesium")
def _three_views_magnesium(data: CourseData) -> FigureText:
    names = data.foods.set_index("food_id")["name"]
    leaders = {}
    for view in ("100 g", "serving", "100 kcal"):
        top = analysis.amounts(data, view)["magnesium"].nlargest(6)
        first, *rest = names[top.index[0]].split(", ")  # "Hemp seeds, hulled" -> "Hemp seeds"
        leaders[view] = f"Dried {first.lower()}" if rest[:1] == ["dried"] else first
    return FigureText(
        title=(
            f"Richest in magnesium? {leaders['100 g']} per 100 g,\n"
            f"{leaders['serving']} per household serving, {leaders['100 kcal']} per 100 kcal"
        ),
        caption=(
            "The six foods richest in magnesium under three yardsticks: per 100 g, per household "
            "serving and per 100 kcal."
        ),
        alt=(
            "Three horizontal bar charts stacked, each ranking six foods by magnesium; the leader "
            f"is {leaders['100 g']} per 100 g, {leaders['serving']} per household serving and "
            f"{leaders['100 kcal']} per 100 kcal."
        ),
    )


@figure("03_potassium_guide_picks")
def _potassium_guide_picks(data: CourseData) -> FigureText:
    picks = _guide_picks(data)
    potassium = analysis.rank_foods(data, "potassium", "racc", top=None)
    guide_potassium = set(picks.loc[picks["nutrient_id"] == "potassium", "food_id"])
    shown = potassium[(potassium["rank"] <= 10) | potassium.index.isin(guide_potassium)]
    banana_rank = potassium.at["banana", "rank"]
    excellent = int((potassium["claim"] == "excellent source").sum())
    reach = "no food reaches" if excellent == 0 else f"{excellent} foods reach"
    picked = shown[shown.index.isin(guide_potassium)]
    good = int((picked["claim"] != "neither").sum())
    excellent_picks = int((picked["claim"] == "excellent source").sum())
    banana_percent = analysis.shown_percent(potassium.at["banana", "percent_dv"])
    return FigureText(
        title=(
            f"The banana ranks #{banana_rank} of {len(potassium)} foods for potassium\n"
            f"per reference amount; {reach} 20% DV"
        ),
        caption=(
            "Potassium per reference amount as a percentage of the Daily Value, for the ten "
            "richest foods and the foods named in any of the guide's claims about potassium, "
            "grouped claims read food by food (outlined); dashed lines mark the "
            "FDA's good-source (10%) and excellent-source (20%) thresholds."
        ),
        alt=(
            f"Horizontal bar chart of {len(shown)} foods ranked by potassium per reference amount; "
            f"{good} of the {len(picked)} outlined foods, those named in any of the guide's claims "
            f"about potassium, pass the 10% line, {excellent_picks or 'none'} of them reach 20%, "
            f"and the banana sits at {banana_percent:.1f}%."
        ),
    )


@figure("03_basis_flips")
def _basis_flips(data: CourseData) -> FigureText:
    cramp = [n for n in analysis.cramp_nutrients(data) if n != "sodium"]
    changes = analysis.basis_changes(data, ("serving", "racc"), cramp)
    flips = changes.merge(_guide_picks(data)[["food_id", "nutrient_id"]])
    return FigureText(
        title=(
            f"{len(flips)} of the guide's food-nutrient pairs change claim word\n"
            "between household serving and RACC"
        ),
        caption=(
            "Each food-nutrient pair named by the guide whose FDA claim word differs between the "
            "household serving (open circle) and the reference amount (filled circle); dashed "
            "lines mark 10% and 20% of the Daily Value."
        ),
        alt=(
            f"Arrow chart of {len(flips)} food-nutrient pairs; each arrow runs from the %DV per "
            "household serving to the %DV per reference amount and crosses a 10% or 20% line, "
            "most of them leftwards."
        ),
    )


# --- 04 coverage ----------------------------------------------------------------------------


@figure("04_coverage_heatmap")
def _coverage_heatmap(data: CourseData) -> FigureText:
    percent_dv = analysis.percent_dv(data, "racc")
    guide = data.guide_claims
    table_claims = guide[(guide["kind"] == "food_source") & (guide["check_against"] == "data")]
    guide_foods = list(dict.fromkeys(table_claims["foods"].str.split(";").explode()))
    nutrient_names = data.nutrients.set_index("nutrient_id")["name"]
    cramp = [n for n in analysis.cramp_nutrients(data) if n != "sodium"]
    good_here = (percent_dv.loc[guide_foods, cramp] >= analysis.GOOD_SOURCE_PCT).sum()
    gap = good_here.idxmin()
    return FigureText(
        title=(
            f"{nutrient_names[gap]} is the gap: {good_here[gap]} of the guide's "
            f"{len(guide_foods)} foods\n"
            f"give 10% DV per reference amount (vitamin D: {good_here['vitamin_d']})"
        ),
        caption=(
            "Percent of the Daily Value per reference amount (RACC) for each food the guide names "
            "(rows) and each cramp nutrient other than sodium (columns); blank cells have no USDA "
            "value."
        ),
        alt=(
            f"Heatmap of {len(guide_foods)} foods by {len(cramp)} nutrients, dark for low and "
            f"yellow for high %DV; the {nutrient_names[gap].lower()} column is dark almost "
            f"everywhere, with {good_here[gap]} foods at 10% DV or more."
        ),
    )


@figure("04_share_of_good_sources")
def _share_of_good_sources(data: CourseData) -> FigureText:
    nutrient_names = data.nutrients.set_index("nutrient_id")["name"]
    coverage = analysis.coverage(data)
    shares = coverage.drop(columns="sodium").mean().sort_values()
    least = shares.index[0]
    with_data = int(analysis.percent_dv(data, "racc")[least].notna().sum())
    covering = int(coverage[least].sum())
    return FigureText(
        title=(
            f"{nutrient_names[least]} has the fewest good sources: {covering} of {with_data}\n"
            "foods give 10% DV per reference amount"
        ),
        caption=(
            "For each cramp nutrient other than sodium, the share of the package's foods that "
            "cover it: at least 10% of the Daily Value per reference amount."
        ),
        alt=(
            f"Horizontal bar chart of {len(shares)} nutrients; {nutrient_names[least].lower()} "
            "has the smallest share of good sources and "
            f"{nutrient_names[shares.index[-1]]} the largest."
        ),
    )


@figure("04_calcium_absorbed")
def _calcium_absorbed(data: CourseData) -> FigureText:
    calcium_foods = data.guide_claims.set_index("claim_id").at["C25", "foods"].split(";")
    table = analysis.calcium_absorption_table(data, "racc", calcium_foods)
    spinach, kale = table.loc["spinach_cooked"], table.loc["kale_cooked"]
    missing = int(table["absorbed_mg"].isna().sum())
    return FigureText(
        title=(
            f"Per reference amount the body absorbs {spinach['absorbed_mg']:.0f} of spinach's "
            f"{spinach['calcium_mg']:.0f} mg\nof calcium and {kale['absorbed_mg']:.0f} of kale's "
            f"{kale['calcium_mg']:.0f} mg (fractions from different studies)"
        ),
        caption=(
            "Calcium per reference amount in each food the guide calls rich in calcium (grey) and "
            "the part the body absorbs (blue), from fractions measured in different studies, each "
            "with milk in the same study: compare each food's blue bar with its grey one, and "
            "compare foods by their milk-equivalent %DV, not across these bars; foods with no "
            "published fraction are marked, not estimated."
        ),
        alt=(
            f"Horizontal bar chart of {len(table)} foods; grey bars show calcium content and blue "
            f"bars the absorbed part; spinach's blue bar is "
            f"{spinach['absorbed_mg'] / spinach['calcium_mg']:.0%} of its grey one, kale's "
            f"{kale['absorbed_mg'] / kale['calcium_mg']:.0%} (fractions from different studies), "
            f"and {missing} foods are marked as having no absorption figure."
        ),
        source=(
            "USDA SR28 (2016); Heaney, Weaver & Recker 1988; Curr Osteoporos Rep 2017;15:214 "
            "Table 1; 21 CFR 101.12"
        ),
        credit=(
            "Data: USDA SR28 (2016); absorption: Heaney et al. 1988, Curr Osteoporos Rep 2017 "
            "Table 1; RACC: 21 CFR 101.12"
        ),
    )


# --- 05 grading evidence --------------------------------------------------------------------


@figure("05_effect_intervals")
def _effect_intervals(data: CourseData) -> FigureText:
    studies = data.claim_studies
    ratios = studies[studies["measure"].str.endswith("ratio", na=False)].drop_duplicates("study")
    includes_no_effect = (ratios["ci_low"] <= 1) & (ratios["ci_high"] >= 1)
    excluding = int((~includes_no_effect).sum())
    magnesium = ratios[ratios["study"].str.startswith("Garrison 2020")].iloc[0]
    return FigureText(
        title=(
            f"{excluding} of {len(ratios)} ratios exclude 'no effect'; the magnesium trials' "
            f"risk ratio of {magnesium['estimate']:.2f} does not"
        ),
        caption=(
            "Each line is one study's ratio with its 95% interval, on a log scale; an interval "
            "that crosses the dashed line at 1 (grey) cannot rule out no difference, and a wide "
            "interval means an imprecise estimate even when it excludes 1."
        ),
        alt=(
            f"Forest plot of {len(ratios)} ratios. The magnesium trials' risk ratio of "
            f"{magnesium['estimate']:.2f} has a narrow interval from {magnesium['ci_low']:.2f} to "
            f"{magnesium['ci_high']:.2f} that crosses 1; the alcohol case-control study's odds "
            "ratio has the widest interval, entirely above 1."
        ),
        source="Studies cited in cramplab data/claim_studies.csv",
        credit="Sources: the studies cited in claim_studies (full citations in its source column)",
        wrap=66,
    )


# --- 06 checking the guide ------------------------------------------------------------------


@figure("06_food_claims")
def _food_claims(data: CourseData) -> FigureText:
    pairs = claims.food_claims(data)
    distinct = claims.distinct_foods(pairs)
    with_data = distinct[distinct["level"] != "no data"]
    not_good = int((with_data["level"] == "neither").sum())
    dots = pairs.dropna(subset="percent_dv")
    return FigureText(
        title=(
            f"By the FDA's rule, {not_good} of the {len(with_data)} named foods with data are not "
            "a good source of anything the guide claims for them"
        ),
        caption=(
            "Each row is one of the guide's food claims in its own words, each dot one food it "
            "names, at the food's best %DV per FDA reference amount among the claim's nutrients; "
            "dashed lines mark the FDA's good (10%) and excellent (20%) source levels."
        ),
        alt=(
            f"Dot plot with one row per food claim ({dots['claim_id'].nunique()} claims) and one "
            f"dot per named food. Of {len(with_data)} distinct foods with data, {not_good} fall "
            "below the 10% line for every nutrient claimed for them; no claim has all its dots "
            "right of the 20% line."
        ),
        source=(
            "USDA SR28 (2016); reference amounts (21 CFR 101.12); FDA Daily Values (21 CFR 101.9) "
            "and claim rules (21 CFR 101.54)"
        ),
        credit=(
            "Data: USDA SR28 (2016); reference amounts 21 CFR 101.12; FDA Daily Values 21 CFR 101.9"
        ),
        wrap=64,
    )


@figure("06_verdict_summary")
def _verdict_summary(data: CourseData) -> FigureText:
    counts = claims.verdict_counts(claims.verdicts(data))
    order = [v for v in claims.VERDICTS if v in counts.columns]
    total = int(counts.to_numpy().sum())
    count = counts.sum()
    contradicted = count.get("contradicted", 0)
    return FigureText(
        title=(
            f"Of the guide's {total} claims, {count.get('supported', 0)} are supported and "
            f"{count.get('partly_supported', 0)} partly; {contradicted} "
            f"{'is' if contradicted == 1 else 'are'} contradicted"
        ),
        caption=(
            "Every checkable claim in the guide, by kind of claim, coloured by its verdict, "
            "computed from its parts: the FDA's words per reference amount for food claims, the "
            "menu planner for diet claims, and the direction, directness and GRADE certainty of "
            "the evidence for the rest; contradicted, very uncertain, no evidence found and not "
            "assessed are counted apart."
        ),
        alt=f"Stacked horizontal bars for advice, food-source, mechanism and statistic claims, "
        f"{total} in all: "
        + ", ".join(f"{count[v]} {claims.VERDICT_LABELS[v].lower()}" for v in order)
        + ".",
        source=(
            "USDA SR28, FDA claim rules and the menu planner (food claims); evidence in "
            "cramplab data/claim_studies.csv"
        ),
        credit=(
            "Sources: USDA SR28, FDA rules and the menu planner for food claims; the evidence in "
            "claim_studies for the rest"
        ),
        wrap=66,
    )


# --- 07 planning a day ----------------------------------------------------------------------
# The menus are the notebook's own calls, so the planner reads them back solved (plan.py).


def _nutrient_names(data: CourseData) -> pd.Series:
    """Every nutrient's name as it reads mid-sentence ("vitamin D", "potassium")."""
    names = pd.concat(
        [data.nutrients.set_index("nutrient_id")["name"],
         data.dri_nutrients.set_index("nutrient_id")["name"]]
    )  # fmt: skip
    return names.str[:1].str.lower() + names.str[1:]


def target_percent(menu: plan.Menu) -> pd.Series:
    """Each nutrient target's total in a menu as % of the target, smallest first.

    >>> from cramplab import load
    >>> percent = target_percent(plan.plan_menu(load()))  # notebook 07's default menu
    >>> len(percent), round(float(percent.min()))  # every target met, some just
    (25, 100)
    """
    goals = list(menu.targets.minimum.index)
    return (menu.totals.loc[goals, "total"] / menu.totals.loc[goals, "target"] * 100).sort_values()


@figure("07_binding_constraints")
def _binding_constraints(data: CourseData) -> FigureText:
    menu = plan.plan_menu(data)
    room = target_percent(menu)
    binds = menu.totals.loc[room.index, "binds"].eq("target")
    bound = _and_list(_nutrient_names(data)[room.index[binds]].tolist())
    met, untracked = menu.claim().split("; ")
    return FigureText(
        title=f"The default menu {met};\n{untracked}",
        caption=(
            f"How far the default menu ({len(menu.items)} foods, {menu.kcal:,.0f} kcal) goes "
            f"past each of its {len(room)} nutrient targets; orange bars bind (less than "
            f"{plan.BINDING_MARGIN:.0%} to spare, the pale band): {bound}."
        ),
        alt=(
            f"Horizontal bar chart of {len(room)} nutrients as a percentage of their targets, "
            f"from {room.min():.0f}% to {room.max():.0f}%; {bound} end in "
            "the pale band just past 100% and are coloured as binding."
        ),
    )


def four_menus(data: CourseData) -> dict[str, plan.Menu]:
    """Notebook 07's four menus, by the label its figure gives them.

    >>> from cramplab import load
    >>> menus = four_menus(load())  # the notebook's own calls: read back solved
    >>> {label: len(menu.items) for label, menu in menus.items()}
    {'adults (Daily Values)': 16, 'vegan (Daily Values)': 14, 'pregnant, 14 to 18': 18,
     'child, 4 to 8': 14}
    """
    return {
        "adults (Daily Values)": plan.plan_menu(data),
        "vegan (Daily Values)": plan.plan_menu(data, patterns=("vegan",)),
        "pregnant, 14 to 18": plan.plan_menu(data, life_stage="pregnancy_14_18"),
        "child, 4 to 8": plan.plan_menu(data, life_stage="child_4_8"),
    }


@figure("07_menu_coverage")
def _menu_coverage(data: CourseData) -> FigureText:
    menus = four_menus(data)
    percent = pd.DataFrame({label: target_percent(m) for label, m in menus.items()})
    counts = {len(m.targets.minimum) for m in menus.values()}
    limits = sorted({plan.limit_count(m) for m in menus.values()})
    missing = {len(m.targets.not_tracked) for m in menus.values()}
    if not len(counts) == len(missing) == 1:
        raise ValueError("the menus no longer share their target counts: reword the title")
    return FigureText(
        title=(
            f"{['Two', 'Three', 'Four', 'Five'][len(menus) - 2]} menus each meet {counts.pop()} "
            f"nutrient targets within {'-'.join(map(str, limits))} limits\nand the Healthy "
            f"U.S.-Style pattern; not tracked: iodine and {missing.pop() - 1} more"
        ),
        caption=(
            "Each nutrient target as a percentage of the day's target in four planned menus: "
            "adults (Daily Values), vegan, a pregnant teenager (RDA/AI for ages 14 to 18) and a "
            f"child of 4 to 8; the grey band marks less than {plan.BINDING_MARGIN:.0%} to spare. "
            "Iodine and the other nutrients SR28 does not report are not tracked."
        ),
        alt=(
            f"Dot plot of {len(percent)} nutrients by four menus; every dot lies at or right of "
            f"the 100% line, from {percent.min().min():.0f}% to {percent.max().max():.0f}%."
        ),
        source=(
            "USDA SR28 (2016); FDA Daily Values (21 CFR 101.9); IOM/NASEM Dietary Reference "
            "Intakes"
        ),
        credit="Data: USDA SR28 (2016), curated in cramplab data/; FDA Daily Values; IOM/NASEM DRIs",
    )
