"""Every menu notebook 07 shows, recomputed from data/ and checked against every rule.

A menu is a table whose header reads "menu for <life stage>[, <pattern>...]" (Menu.table()).
From its stored HTML output this test takes the foods and portions, recomputes grams, energy
and nutrient totals from the data package, and checks each rule the planner promises: every
target met, every upper limit kept (UL, CDRR, retinol), energy in the band, portions within
their caps and their category's, the diet pattern, and the FDA/EPA fish advice.
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
    assert len(MENUS) >= 5 and {"daily_values", "pregnancy_14_18"} <= stages
    assert any("vegan" in patterns for _, _, patterns, _ in MENUS)


@pytest.mark.parametrize("menu", MENUS, ids=lambda m: f"cell{m[0]}-{m[1]}-{'-'.join(m[2])}")
def test_each_stored_menu_keeps_every_rule(menu, data):
    cell, stage, patterns, shown = menu
    life_stage = None if stage == "daily_values" else stage
    assert list(shown.columns) == ["name", "portions", "portion", "grams", "kcal"]
    total_row = shown.loc["total"]
    shown = shown.drop(index="total")
    portions = shown["portions"].astype(float)
    assert ((portions * 2) % 1 == 0).all(), "portions come in halves"

    caps = data.portion_caps.set_index("food_id").loc[shown.index]
    grams = portions * caps["portion_g"]
    assert np.allclose(grams, shown["grams"].astype(float), atol=GRAM_TOLERANCE)
    per_100g = analysis.nutrient_matrix(data).loc[shown.index]
    kcal = per_100g["energy"] * grams / 100
    assert np.allclose(kcal, shown["kcal"].astype(float), atol=0.051)
    assert float(total_row["kcal"]) == pytest.approx(kcal.sum(), abs=0.051)
    assert float(total_row["grams"]) == pytest.approx(grams.sum(), abs=0.051)

    targets = plan.targets_for(data, life_stage)
    foods = data.foods.set_index("food_id").loc[shown.index]
    attributes = data.food_attributes.set_index("food_id").loc[shown.index]
    # Retinol occurs only in animal foods and in what fortification adds.
    plant = ~diets.animal(attributes) & ~foods["fortified"]
    retinol = per_100g["retinol"].where(~(plant & per_100g["retinol"].isna()), 0.0)
    amounts = per_100g.assign(retinol=retinol)
    limited = [n for n in targets.maximum.index if pd.notna(targets.maximum[n])]
    assert not amounts[[*limited, "energy"]].isna().any().any(), "a limited amount is unknown"
    totals = amounts.fillna(0).mul(grams / 100, axis=0).sum()

    short = {n: totals[n] for n in targets.minimum.index if totals[n] < targets.minimum[n] - 1e-6}
    assert not short, f"cell {cell}: targets missed {short}"
    over = {n: totals[n] for n in limited if totals[n] > targets.maximum[n] + 1e-6}
    assert not over, f"cell {cell}: limits broken {over}"
    low, high = targets.energy
    assert low - 1e-6 <= totals["energy"] <= high + 1e-6, "energy outside the band"

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
