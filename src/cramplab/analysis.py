"""Analysis shared by the notebooks: nutrient amounts on three bases, rankings, coverage.

Everything takes a CourseData (the curated package from cramplab.load(), or all of SR28 from
cramplab.usda.read_release()) and returns plain pandas tables, so it runs unchanged on both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cramplab.data import CourseData
from cramplab.units import per_100_kcal, per_serving, percent_of

# FDA nutrient content claims per reference amount (21 CFR 101.54): at least 10% of the
# Daily Value is a "good source", at least 20% is "high in", "rich in", "excellent source".
GOOD_SOURCE_PCT = 10.0
EXCELLENT_SOURCE_PCT = 20.0
BASES = ("100 g", "serving", "100 kcal")


def cramp_nutrients(data: CourseData) -> list[str]:
    """The eight nutrients the guide ties to cramps (every nutrient that is not context)."""
    nutrients = data.nutrients
    return nutrients.loc[nutrients["kind"] != "context", "nutrient_id"].tolist()


def nutrient_matrix(data: CourseData) -> pd.DataFrame:
    """Wide table: one row per food (food_id), one column per nutrient, amount per 100 g.

    The same table as food_nutrients.pivot(index="food_id", columns="nutrient_id"), in the
    order of foods.csv and nutrients.csv; built by placing each value at its row and column
    position, which is several times faster than pivot on all of SR28.
    """
    foods = pd.Index(data.foods["food_id"], name="food_id")
    nutrients = pd.Index(data.nutrients["nutrient_id"])
    long = data.food_nutrients
    rows = foods.get_indexer(long["food_id"])
    columns = nutrients.get_indexer(long["nutrient_id"])
    known = (rows >= 0) & (columns >= 0)
    values = np.full((len(foods), len(nutrients)), np.nan)
    values[rows[known], columns[known]] = long["amount"].to_numpy(dtype=float)[known]
    return pd.DataFrame(values, index=foods, columns=nutrients.rename(None))


def amounts(data: CourseData, basis: str = "serving") -> pd.DataFrame:
    """Nutrient amounts per 100 g, per typical serving, or per 100 kcal (wide, by food_id)."""
    per_100g = nutrient_matrix(data)
    if basis == "100 g":
        return per_100g
    if basis == "serving":
        serving_g = data.foods.set_index("food_id")["serving_g"]
        return per_serving(per_100g, serving_g.to_numpy()[:, None])
    if basis == "100 kcal":
        kcal = per_100g["energy"].to_numpy()[:, None]
        return pd.DataFrame(
            per_100_kcal(per_100g.to_numpy(), kcal), index=per_100g.index, columns=per_100g.columns
        )
    raise ValueError(f"basis must be one of {BASES}, not {basis!r}")


def daily_values(data: CourseData) -> pd.Series:
    """FDA Daily Value of each nutrient that has one, indexed by nutrient_id."""
    return data.nutrients.set_index("nutrient_id")["daily_value"].dropna()


def percent_dv(data: CourseData, basis: str = "serving") -> pd.DataFrame:
    """Percent of the Daily Value per serving (or other basis) for the cramp nutrients."""
    dv = daily_values(data)
    return percent_of(amounts(data, basis)[dv.index], dv)


def claim_level(percent) -> pd.Series:
    """FDA wording a %DV per serving earns: 'excellent source', 'good source' or 'neither'."""
    percent = pd.Series(percent)
    level = np.select(
        [percent >= EXCELLENT_SOURCE_PCT, percent >= GOOD_SOURCE_PCT, percent.notna()],
        ["excellent source", "good source", "neither"],
        default="no data",
    )
    return pd.Series(level, index=percent.index)


def rank_foods(
    data: CourseData, nutrient_id: str, basis: str = "serving", top: int | None = 10
) -> pd.DataFrame:
    """Foods ordered by their amount of one nutrient on the chosen basis.

    Foods whose amount is missing are left out (they are unknown, not zero). Ties keep the
    order of foods.csv, so the ranking is deterministic. Rank 1 is the richest food.
    """
    values = amounts(data, basis)[nutrient_id].dropna()
    order = np.argsort(-values.to_numpy(), kind="stable")
    values = values.iloc[order]
    foods = data.foods.set_index("food_id")
    table = pd.DataFrame(
        {
            "rank": np.arange(1, len(values) + 1),
            "name": foods.loc[values.index, "name"].to_numpy(),
            "amount": values.to_numpy(),
        },
        index=values.index,
    )
    dv = daily_values(data).get(nutrient_id)
    if dv is not None:
        table["percent_dv"] = percent_of(table["amount"], dv)
        if basis == "serving":
            table["claim"] = claim_level(table["percent_dv"]).to_numpy()
    return table if top is None else table.head(top)


def coverage(
    data: CourseData, threshold: float = GOOD_SOURCE_PCT, nutrients: list[str] | None = None
) -> pd.DataFrame:
    """Which foods 'cover' which nutrients: True where one serving gives >= threshold %DV.

    Missing values stay missing (pd.NA): a food without data neither covers nor fails.
    """
    pdv = percent_dv(data, "serving")
    pdv = pdv[nutrients] if nutrients is not None else pdv
    covered = (pdv >= threshold).astype("boolean")
    return covered.mask(pdv.isna())


def coverage_summary(data: CourseData, threshold: float = GOOD_SOURCE_PCT) -> pd.DataFrame:
    """Per nutrient: how many foods cover it, how many have data, and the share covering."""
    covered = coverage(data, threshold)
    summary = pd.DataFrame(
        {"foods_covering": covered.sum(), "foods_with_data": covered.notna().sum()}
    )
    summary["share_covering"] = summary["foods_covering"] / summary["foods_with_data"]
    return summary


def intake_targets(data: CourseData, life_stage: str, kind: str = "target") -> pd.Series:
    """Daily amounts for one life stage, by nutrient_id.

    kind='target' gives the RDA or AI; kind='ul' the Tolerable Upper Intake Level (NaN where
    none is established); kind='cdrr' sodium's Chronic Disease Risk Reduction intake.
    """
    rows = data.intake_references[data.intake_references["life_stage"] == life_stage]
    if rows.empty:
        known = ", ".join(sorted(data.intake_references["life_stage"].unique()))
        raise ValueError(f"unknown life stage {life_stage!r}; known: {known}")
    if kind == "target":
        chosen = rows[rows["reference_type"].isin(["RDA", "AI"])]
        return chosen.set_index("nutrient_id")["amount"]
    if kind == "ul":
        chosen = rows[rows["reference_type"].isin(["RDA", "AI"])]
        return chosen.set_index("nutrient_id")["ul"]
    if kind == "cdrr":
        return rows[rows["reference_type"] == "CDRR"].set_index("nutrient_id")["amount"]
    raise ValueError(f"kind must be 'target', 'ul' or 'cdrr', not {kind!r}")
