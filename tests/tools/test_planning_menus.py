"""Every menu notebook 07 shows, recomputed from data/ and checked against every rule.

A menu is a table whose header reads "menu for <life stage>[, <pattern>...]" (Menu.table()).
From its stored HTML output this test takes the foods and portions, recomputes grams, energy
and nutrient totals from the data package (dri_food_nutrients too), and checks each rule the
planner promises: every nutrient target met, every upper limit kept (UL, CDRR, retinol, folic
acid), the energy shares (AMDRs, saturated fat), energy in range, the food pattern's groups and
subgroups recomputed from food_groups.csv, no whole-fat dairy, portions within their caps and
their category's, the diet pattern, the FDA/EPA fish advice, and the claim printed with the
menu, recounted from what the rules enforce.
"""

import json
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from repo import CLONE

from cramplab import analysis, diets, plan
from cramplab.data import load

NOTEBOOK = CLONE.notebooks / "07_planning_a_day.ipynb"
GRAM_TOLERANCE = 0.051  # the table shows grams to one decimal


class _Tables(HTMLParser):
    """The rows of every <table> in an HTML fragment: lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, text):
        if self._cell is not None:
            self._cell += text


def stored_menus() -> list[tuple[int, str, tuple[str, ...], pd.DataFrame]]:
    """(cell, life stage, patterns, rows) for each menu table in the stored outputs."""
    menus = []
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", []))
            parser = _Tables()
            parser.feed(html)
            for rows in parser.tables:
                header = rows[0]
                if not header or not header[0].startswith("menu for "):
                    continue
                stage, *patterns = header[0].removeprefix("menu for ").split(", ")
                body = pd.DataFrame([r[1:] for r in rows[2:]], index=[r[0] for r in rows[2:]],
                                    columns=header[1:])  # fmt: skip
                menus.append((number, stage, tuple(patterns), body))
    return menus


MENUS = stored_menus()


@pytest.fixture(scope="module")
def data():
    return load()


def test_the_notebook_shows_menus_for_several_people():
    stages = {stage for _, stage, _, _ in MENUS}
    assert len(MENUS) >= 5 and {"daily_values", "pregnancy_14_18", "child_4_8"} <= stages
    assert any("vegan" in patterns for _, _, patterns, _ in MENUS)


def _printed_claim(cell: int) -> str | None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    for output in cells[cell].get("outputs", []):
        for line in "".join(output.get("text", [])).splitlines():
            if line.startswith("meets "):
                return line
    return None


def _amounts(data) -> pd.DataFrame:
    per_100g = analysis.nutrient_matrix(data)
    other = data.dri_food_nutrients.pivot(index="food_id", columns="nutrient_id", values="amount")
    return per_100g.join(other.reindex(per_100g.index))


@pytest.mark.parametrize("menu", MENUS, ids=lambda m: f"cell{m[0]}-{m[1]}-{'-'.join(m[2])}")
def test_each_stored_menu_keeps_every_rule(menu, data):
    cell, stage, patterns, shown = menu
    life_stage = None if stage == "daily_values" else stage
    columns = ["food group", "name", "amount", "portions", "portion", "grams", "kcal"]
    assert list(shown.columns) == columns
    total_row = shown.loc["total"]
    shown = shown.drop(index="total")
    portions = shown["portions"].astype(float)
    targets = plan.targets_for(data, life_stage)
    with_pattern = len(targets.pattern) > 0
    step = plan.PATTERN_STEP if with_pattern else plan.STEP
    assert ((portions / step) % 1 == 0).all(), f"portions come in steps of {step}"
    if with_pattern:
        assert (portions >= plan.PATTERN_LEAST * step).all(), "less than a quarter portion"

    caps = data.portion_caps.set_index("food_id").loc[shown.index]
    grams = portions * caps["portion_g"]
    assert np.allclose(grams, shown["grams"].astype(float), atol=GRAM_TOLERANCE)
    per_100g = _amounts(data).loc[shown.index]
    kcal = per_100g["energy"] * grams / 100
    assert np.allclose(kcal, shown["kcal"].astype(float), atol=0.051)
    assert float(total_row["kcal"]) == pytest.approx(kcal.sum(), abs=0.051)
    assert float(total_row["grams"]) == pytest.approx(grams.sum(), abs=0.051)
    measures = [plan.household(n, p) for n, p in zip(portions, shown["portion"], strict=True)]
    assert measures == shown["amount"].tolist(), "household measures"

    foods = data.foods.set_index("food_id").loc[shown.index]
    attributes = data.food_attributes.set_index("food_id").loc[shown.index]
    # Retinol occurs only in animal foods and in what fortification adds.
    plant = ~diets.animal(attributes) & ~foods["fortified"]
    retinol = per_100g["retinol"].where(~(plant & per_100g["retinol"].isna()), 0.0)
    amounts = per_100g.assign(retinol=retinol)
    limited = [n for n in targets.maximum.index if pd.notna(targets.maximum[n])]
    checked = [*limited, *targets.shares.index, "energy"]
    assert not amounts[checked].isna().any().any(), "a limited amount is unknown"
    totals = amounts.fillna(0).mul(grams / 100, axis=0).sum()

    short = {n: totals[n] for n in targets.minimum.index if totals[n] < targets.minimum[n] - 1e-6}
    assert not short, f"cell {cell}: targets missed {short}"
    over = {n: totals[n] for n in limited if totals[n] > targets.maximum[n] + 1e-6}
    assert not over, f"cell {cell}: limits broken {over}"
    low, high = targets.energy
    assert low - 1e-6 <= totals["energy"] <= high + 1e-6, "energy outside the band"
    for nutrient_id, (least, most, _) in targets.shares.iterrows():
        percent = totals[nutrient_id] * plan.KCAL_PER_G[nutrient_id] / totals["energy"] * 100
        assert least - 1e-6 <= percent <= most + 1e-6, f"{nutrient_id}: {percent:.1f}% of energy"

    if with_pattern:
        groups = data.food_groups.set_index("food_id").loc[shown.index]
        equivalents = (groups["equivalents"] / groups["grams"] * grams).fillna(0)
        eaten = pd.concat(
            [equivalents.groupby(groups["food_group"]).sum(),
             equivalents.groupby(groups["subgroup"]).sum()]
        )  # fmt: skip
        eaten = eaten[~eaten.index.duplicated()]
        assert not (groups["dairy_fat"] == plan.WHOLE_FAT).any(), "whole-fat dairy after age 2"
        pattern = targets.pattern
        dropped = {c for p in patterns for c in plan.DROPPED_SUBGROUPS.get(p, ())}
        if "seafood" in pattern.index and pattern.at["seafood", "basis"] == plan.FISH_CEILING:
            seafood = data.food_groups[data.food_groups["subgroup"] == "seafood"]
            quarter = (seafood["equivalents"] / seafood["grams"]).to_numpy() * data.portion_caps.set_index("food_id").loc[seafood["food_id"], "portion_g"].to_numpy() * plan.PATTERN_LEAST * step  # fmt: skip
            if quarter.min() > pattern.at["seafood", "amount"]:
                dropped.add("seafood")  # the fish advice allows less than a day's least fish
        for component, row in pattern.drop(list(dropped), errors="ignore").iterrows():
            total = eaten.get(component, 0.0)
            if pd.notna(row["low"]):
                assert total >= row["low"] - 1e-6, f"{component}: {total:.2f} < {row['low']:.2f}"
            if pd.notna(row["high"]):
                most = row["high"]
                if component in plan.CAPPED_SUBGROUPS and total > most:
                    inside = groups["subgroup"] == component
                    least = equivalents[inside] / portions[inside] * plan.PATTERN_LEAST * step
                    most = max(most, least.min())  # the cap never below a quarter portion
                assert total <= most + 1e-6, f"{component}: {total:.2f} > {most:.2f}"
        for part, whole in plan.HALF_WHOLE.items():
            assert eaten.get(part, 0) >= eaten.get(whole, 0) / 2 - 1e-9, f"half of {whole}"

    claim = _printed_claim(cell)
    if claim is not None:
        count = int(targets.maximum.notna().sum()) + len(targets.shares) + 1
        count += targets.fish is not None
        expected = f"meets {len(targets.minimum)} nutrient targets within {count} limits"
        if with_pattern:
            expected += f" and {plan.PATTERN_NAME} at {targets.pattern_kcal:,.0f} kcal"
        missing = list(targets.not_tracked)
        if missing:
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            expected += f"; not tracked: {missing[0][:1].lower() + missing[0][1:]}{more}"
        assert claim == expected

    cap = caps["max_portions"] * targets.portion_scale
    assert (portions <= cap + 1e-9).all(), "a food above its portion cap"
    rules = data.portion_categories.set_index("category")["max_caps"]
    share = (portions / cap).groupby(caps["category"]).sum()
    assert (share <= rules.reindex(share.index) + 1e-9).all(), "a kind of food above its caps"

    excluded = set(plan.excluded_foods(data, patterns=patterns))
    assert not excluded & set(shown.index), f"foods the {patterns} pattern leaves out"

    if targets.fish is not None:
        advice = attributes["fish_advice"]
        assert not advice.isin(["choice_to_avoid", "not_on_chart"]).any()
        weekly = advice.map(targets.fish).astype(float)
        week_share = (grams * plan.DAYS_PER_WEEK / weekly).fillna(0).sum()
        assert week_share <= 1 + 1e-9, "more fish than the FDA/EPA advice allows in a week"
