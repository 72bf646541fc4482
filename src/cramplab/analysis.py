"""Analysis shared by the notebooks: nutrient amounts on several bases, claim words, rankings,
coverage, and calcium as absorbed.

Everything takes a CourseData (the curated package from cramplab.load(), or all of SR28 from
cramplab.sr28.read_release()) and returns plain pandas tables, so it runs unchanged on both.

Two servings, two questions. The household serving SR28 offers (foods.serving_g, basis
"serving") answers "what is on my plate". The FDA's reference amount customarily consumed
(foods.racc_g, basis "racc", 21 CFR 101.12) is what a claim word is judged on: "good source"
and "excellent source" are defined per RACC (21 CFR 101.54), so everything the course calls
"by the FDA's rule" uses basis "racc". All of SR28 (read_release) has no reference amounts: ask
it for "serving" or "100 g".

Rounding at a threshold, one rule: a claim word is decided on the unrounded %DV
(claim_level), and the course prints %DV to one decimal but never rounds a value up onto a
threshold it has not reached (shown_percent), so no printed figure reads 20.0% beside "good
source". units.label_percent_dv shows how a label would
round the same value (21 CFR 101.9(c)(8)(iii)); a label's rounded figure decides nothing here.
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
BASES = ("100 g", "serving", "racc", "100 kcal")
# The amounts a food can be served in, each a column of grams in foods.csv.
SERVING_COLUMNS = {"serving": "serving_g", "label": "label_serving_g", "racc": "racc_g"}
BASIS_NAMES = {
    "100 g": "per 100 g",
    "serving": "per household serving",
    "label": "per label serving",
    "racc": "per reference amount (RACC)",
    "100 kcal": "per 100 kcal",
}
LEVELS = ["excellent source", "good source", "neither"]


def cramp_nutrients(data: CourseData) -> list[str]:
    """The eight nutrients the guide ties to cramps (every nutrient that is not context).

    >>> import cramplab
    >>> data = cramplab.load()
    >>> cramp_nutrients(data)[:3]
    ['magnesium', 'potassium', 'calcium']
    """
    nutrients = data.nutrients
    return nutrients.loc[nutrients["kind"] != "context", "nutrient_id"].tolist()


def nutrient_matrix(data: CourseData) -> pd.DataFrame:
    """Wide table: one row per food (food_id), one column per nutrient, amount per 100 g.

    The same table as food_nutrients.pivot(index="food_id", columns="nutrient_id"), in the
    order of foods.csv and nutrients.csv; built by placing each value at its row and column
    position, which is several times faster than pivot on all of SR28.

    >>> import cramplab
    >>> matrix = nutrient_matrix(cramplab.load())
    >>> float(matrix.loc["banana", "potassium"])  # mg per 100 g
    358.0
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


def serving_grams(data: CourseData, basis: str) -> pd.Series:
    """Grams in one serving on a basis ("serving", "label" or "racc"), indexed by food_id.

    NaN where the food has none (most foods have no label serving; a food whose reference
    amount SR28 cannot weigh has no racc_g).

    >>> import cramplab
    >>> float(serving_grams(cramplab.load(), "serving")["banana"])
    118.0
    """
    if basis not in SERVING_COLUMNS:
        raise ValueError(f"basis must be one of {tuple(SERVING_COLUMNS)}, not {basis!r}")
    column = SERVING_COLUMNS[basis]
    if column not in data.foods.columns or data.foods[column].isna().all():
        raise ValueError(
            f"these foods have no {column} values, so nothing can be computed "
            f"{BASIS_NAMES[basis]} (all of SR28 has no reference amounts: use basis 'serving' "
            "or '100 g')"
        )
    return data.foods.set_index("food_id")[column].astype(float)


def amounts(data: CourseData, basis: str = "serving") -> pd.DataFrame:
    """Nutrient amounts of each food on one basis (wide: food_id rows, nutrient columns).

    basis:
      "100 g"     per 100 g of edible portion, as SR28 gives them;
      "serving"   per household serving (foods.serving_g): what is on my plate;
      "racc"      per reference amount customarily consumed (foods.racc_g, 21 CFR 101.12):
                  the basis of every FDA claim word; NaN where a food has no racc_g;
      "label"     per label serving as SR28 records it (foods.label_serving_g, its
                  "NLEA serving"); NaN for the many foods without one;
      "100 kcal"  per 100 kcal of the food (NaN for foods with no energy).

    >>> import cramplab
    >>> per_serving = amounts(cramplab.load(), "serving")
    >>> float(per_serving.loc["banana", "potassium"])  # 358 mg per 100 g x 118 g
    422.44
    """
    per_100g = nutrient_matrix(data)
    if basis == "100 g":
        return per_100g
    if basis in SERVING_COLUMNS:
        grams = serving_grams(data, basis).reindex(per_100g.index)
        return per_serving(per_100g, grams.to_numpy()[:, None])
    if basis == "100 kcal":
        kcal = per_100g["energy"].to_numpy()[:, None]
        return pd.DataFrame(
            per_100_kcal(per_100g.to_numpy(), kcal), index=per_100g.index, columns=per_100g.columns
        )
    known = (*BASES, "label")
    raise ValueError(f"basis must be one of {known}, not {basis!r}")


def daily_values(data: CourseData) -> pd.Series:
    """FDA Daily Value of each nutrient that has one, indexed by nutrient_id.

    >>> import cramplab
    >>> float(daily_values(cramplab.load())["magnesium"])  # mg
    420.0
    """
    return data.nutrients.set_index("nutrient_id")["daily_value"].dropna()


def percent_dv(data: CourseData, basis: str = "serving") -> pd.DataFrame:
    """Percent of the Daily Value on a basis (see amounts) for every nutrient with a DV.

    Unrounded: print it with shown_percent so the printed figure never crosses a claim
    threshold that the value itself has not reached. percent_dv(data, "racc") is the figure
    the FDA's claim words are judged on.

    >>> import cramplab
    >>> percent = percent_dv(cramplab.load(), "serving")
    >>> round(float(percent.loc["banana", "potassium"]), 1)  # 422.44 mg of a 4,700 mg DV
    9.0
    """
    dv = daily_values(data)
    return percent_of(amounts(data, basis)[dv.index], dv)


def shown_percent(percent, decimals: int = 1):
    """%DV as the course prints it: rounded to `decimals` places (halves up), except that a
    value below a claim threshold (10% or 20%) that would round up onto it is rounded down.

    So 19.99 prints as 19.9, never 20.0 beside "good source", while 10.66 prints as 10.7. A
    value at or above a threshold never prints below it, because the thresholds are whole
    numbers. Numbers or arrays; NaN stays NaN.

    >>> shown_percent([19.99, 10.66])
    array([19.9, 10.7])
    """
    percent = np.asarray(percent, dtype=float)
    scale = 10.0**decimals
    rounded = np.floor(percent * scale + 0.5) / scale
    down = np.floor(percent * scale) / scale
    down = np.where(down > percent, down - 1 / scale, down)  # floating point can land above
    crosses = np.zeros(percent.shape, dtype=bool)
    for threshold in (GOOD_SOURCE_PCT, EXCELLENT_SOURCE_PCT):
        crosses |= (percent < threshold) & (rounded >= threshold)
    shown = np.where(crosses, down, rounded)
    return shown if shown.ndim else float(shown)


def claim_level(percent) -> pd.Series:
    """FDA wording a %DV earns: 'excellent source', 'good source', 'neither' or 'no data'.

    21 CFR 101.54: at least 20% of the DV per reference amount is an "excellent source" (also
    "high in", "rich in"), at least 10% a "good source". The comparison is on the UNROUNDED
    value: 19.99 is a good source, not an excellent one, whatever a label would print. Give it
    %DV per RACC (percent_dv(data, "racc")) for a verdict "by the FDA's rule"; on another
    basis the result is only a what-if.

    >>> claim_level([25.0, 19.99, 5.0, float("nan")]).tolist()
    ['excellent source', 'good source', 'neither', 'no data']
    """
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
    order of foods.csv, so the ranking is deterministic. Rank 1 is the richest food. On the
    "racc" basis the table also has the FDA claim word each food earns (column claim).

    >>> import cramplab
    >>> top = rank_foods(cramplab.load(), "magnesium", basis="racc", top=3)
    >>> top.index.tolist()
    ['hemp_seeds', 'pumpkin_seeds', 'flaxseed']
    >>> top["claim"].tolist()
    ['excellent source', 'excellent source', 'excellent source']
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
        if basis == "racc":  # claim words are defined per reference amount only
            table["claim"] = claim_level(table["percent_dv"]).to_numpy()
    return table if top is None else table.head(top)


def coverage(
    data: CourseData,
    threshold: float = GOOD_SOURCE_PCT,
    nutrients: list[str] | None = None,
    basis: str = "racc",
) -> pd.DataFrame:
    """Which foods cover which nutrients: True where %DV on the basis is >= threshold.

    The course's one definition of "covers" is the default: a good source by the FDA's rule,
    at least 10% of the Daily Value per reference amount (RACC). Missing values stay missing
    (pd.NA): a food without data, or without a reference amount, neither covers nor fails.

    >>> from cramplab import load
    >>> covers = coverage(load())
    >>> covers.shape  # one row per food, one column per nutrient with a Daily Value
    (148, 8)
    >>> covers.loc["almonds", ["magnesium", "calcium"]].tolist()
    [True, False]
    """
    pdv = percent_dv(data, basis)
    pdv = pdv[nutrients] if nutrients is not None else pdv
    covered = (pdv >= threshold).astype("boolean")
    return covered.mask(pdv.isna())


def coverage_summary(
    data: CourseData, threshold: float = GOOD_SOURCE_PCT, basis: str = "racc"
) -> pd.DataFrame:
    """Per nutrient: how many foods cover it, how many have data, and the share covering.

    >>> from cramplab import load
    >>> summary = coverage_summary(load())
    >>> summary.loc["magnesium", ["foods_covering", "foods_with_data"]].tolist()
    [35, 145]
    >>> round(float(summary.loc["magnesium", "share_covering"]), 2)
    0.24
    """
    covered = coverage(data, threshold, basis=basis)
    summary = pd.DataFrame(
        {"foods_covering": covered.sum(), "foods_with_data": covered.notna().sum()}
    )
    summary["share_covering"] = summary["foods_covering"] / summary["foods_with_data"]
    return summary


def claim_levels(data: CourseData, basis: str = "racc") -> pd.DataFrame:
    """The claim word each food earns for each nutrient with a DV, on a basis (food x nutrient).

    On "racc" this is the FDA's verdict; on "serving" or "label" it is what the word would be
    if the household or label serving were the yardstick (which the rule does not allow).

    >>> from cramplab import load
    >>> levels = claim_levels(load())
    >>> levels.loc["almonds", ["magnesium", "calcium"]].tolist()
    ['good source', 'neither']
    """
    pdv = percent_dv(data, basis)
    return pdv.apply(lambda column: claim_level(column))


def basis_changes(
    data: CourseData,
    bases: tuple[str, ...] = ("serving", "racc"),
    nutrients: list[str] | None = None,
    foods: list[str] | None = None,
) -> pd.DataFrame:
    """Every food and nutrient whose claim word differs between the bases (long table).

    Only pairs with a value on every basis count (a missing value is unknown, not a change).
    Columns: food_id, name, nutrient_id, then for each basis grams_<basis>, percent_<basis>
    (unrounded %DV) and level_<basis>.

    >>> from cramplab import load
    >>> changes = basis_changes(load(), ("serving", "racc"), ["magnesium"])
    >>> changes[["food_id", "level_serving", "level_racc"]].head(3)
              food_id     level_serving        level_racc
    0     spinach_raw           neither       good source
    1  spinach_cooked  excellent source       good source
    2        flaxseed           neither  excellent source
    """
    nutrients = list(daily_values(data).index) if nutrients is None else nutrients
    parts = {}
    for basis in bases:
        pdv = percent_dv(data, basis)[nutrients]
        pdv = pdv.loc[foods] if foods is not None else pdv
        parts[basis] = pdv.stack(future_stack=True)
    table = pd.DataFrame({f"percent_{b}": v for b, v in parts.items()})
    table = table.dropna()
    for basis in bases:
        table[f"level_{basis}"] = claim_level(table[f"percent_{basis}"]).to_numpy()
    levels = table[[f"level_{b}" for b in bases]]
    changed = levels.nunique(axis=1) > 1
    table = table[changed].rename_axis(["food_id", "nutrient_id"]).reset_index()
    names = data.foods.set_index("food_id")["name"]
    table.insert(1, "name", table["food_id"].map(names).to_numpy())
    for basis in bases:
        grams = serving_grams(data, basis)
        table.insert(
            table.columns.get_loc(f"percent_{basis}"),
            f"grams_{basis}",
            table["food_id"].map(grams).to_numpy(),
        )
    return table


def shown_percent_dv(data: CourseData, basis: str = "racc", decimals: int = 1) -> pd.DataFrame:
    """%DV as the course prints it (shown_percent): never rounded up onto a claim threshold.

    >>> from cramplab import load
    >>> shown = shown_percent_dv(load())  # per reference amount (RACC)
    >>> shown.loc["almonds", ["magnesium", "calcium"]].tolist()  # 19.29 prints as 19.3
    [19.3, 6.2]
    """
    pdv = percent_dv(data, basis)
    return pd.DataFrame(
        shown_percent(pdv.to_numpy(), decimals), index=pdv.index, columns=pdv.columns
    )


def absorption(data: CourseData) -> pd.DataFrame:
    """calcium_absorption indexed by food_id (only foods with a figure).

    >>> from cramplab import load
    >>> figures = absorption(load())
    >>> figures.loc["spinach_cooked", ["fraction", "milk_fraction"]].tolist()
    [0.051, 0.276]
    >>> "banana" in figures.index  # no figure: bananas are not in the table
    False
    """
    return data.calcium_absorption.set_index("food_id")


def absorbed_calcium(data: CourseData, basis: str = "serving") -> pd.Series:
    """Milligrams of calcium absorbed from one amount of each food on a basis, by food_id.

    absorbed = calcium content on the basis x the fraction absorbed (calcium_absorption). NaN
    where no absorption figure exists for the food: none is ever assumed.

    >>> from cramplab import load
    >>> absorbed = absorbed_calcium(load())  # mg per household serving
    >>> absorbed[["spinach_cooked", "kale_cooked"]].round(1).tolist()
    [12.5, 46.1]
    >>> bool(pd.isna(absorbed["banana"]))  # no absorption figure for bananas
    True
    """
    content = amounts(data, basis)["calcium"]
    fraction = absorption(data)["fraction"].reindex(content.index)
    return (content * fraction).rename("absorbed_calcium")


def milk_equivalent_calcium_pct_dv(data: CourseData, basis: str = "racc") -> pd.Series:
    """Calcium %DV on a basis, scaled by how well the food's calcium is absorbed next to milk's.

    The rule: percent_dv x fraction / milk_fraction, both fractions from the same study
    (calcium_absorption), so a food absorbed as well as milk keeps its %DV, spinach (5.1% vs
    27.6% for milk) keeps under a fifth of it, and milk itself scores its plain %DV. This
    is the %DV of milk calcium that would be absorbed as well: judge it against the same 10%
    and 20% lines to ask "is this a good source of calcium the body can use?". NaN where no
    absorption figure exists. It is the course's teaching measure, not an FDA rule. Fractions
    fall as the calcium load rises, and tabulated ones are adjusted to the load studied
    (calcium_absorption.calcium_load_mg): far from that load the result is approximate.

    >>> from cramplab import load
    >>> equivalent = milk_equivalent_calcium_pct_dv(load())  # per reference amount (RACC)
    >>> equivalent[["milk_lowfat", "spinach_cooked", "kale_cooked"]].round(1).tolist()
    [23.8, 1.6, 7.2]
    """
    pdv = percent_dv(data, basis)["calcium"]
    table = absorption(data).reindex(pdv.index)
    return (pdv * table["fraction"] / table["milk_fraction"]).rename("milk_equivalent_pct_dv")


def calcium_absorption_table(
    data: CourseData, basis: str = "racc", foods: list[str] | None = None
) -> pd.DataFrame:
    """Calcium content beside calcium absorbed, one row per food (all foods by default).

    Columns: name, grams, calcium_mg, percent_dv, level (the FDA's word on this basis),
    fraction, milk_fraction, absorbed_mg, milk_equivalent_pct_dv, milk_equivalent_level,
    confidence. Foods with no absorption figure keep NaN and 'no figure' (never assumed).

    >>> from cramplab import load
    >>> table = calcium_absorption_table(load(), "racc", ["milk_lowfat", "kale_cooked"])
    >>> table[["level", "absorbed_mg", "milk_equivalent_level"]].round(1)
                            level  absorbed_mg milk_equivalent_level
    food_id
    milk_lowfat  excellent source         99.3      excellent source
    kale_cooked           neither         30.2               neither
    """
    names = data.foods.set_index("food_id")["name"]
    foods = list(names.index) if foods is None else foods
    pdv = percent_dv(data, basis)["calcium"]
    figures = absorption(data)
    equivalent = milk_equivalent_calcium_pct_dv(data, basis)
    table = pd.DataFrame(
        {
            "name": names.reindex(foods),
            "grams": serving_grams(data, basis).reindex(foods)
            if basis in SERVING_COLUMNS
            else np.nan,
            "calcium_mg": amounts(data, basis)["calcium"].reindex(foods),
            "percent_dv": pdv.reindex(foods),
            "fraction": figures["fraction"].reindex(foods),
            "milk_fraction": figures["milk_fraction"].reindex(foods),
        }
    )
    table.insert(4, "level", claim_level(table["percent_dv"]).to_numpy())
    table["absorbed_mg"] = absorbed_calcium(data, basis).reindex(foods)
    table["milk_equivalent_pct_dv"] = equivalent.reindex(foods)
    level = claim_level(table["milk_equivalent_pct_dv"]).to_numpy()
    table["milk_equivalent_level"] = np.where(table["fraction"].isna(), "no figure", level)
    table["confidence"] = figures["confidence"].reindex(foods).fillna("no figure")
    return table


def intake_targets(data: CourseData, life_stage: str, kind: str = "target") -> pd.Series:
    """Daily amounts for one life stage, by nutrient_id.

    kind='target' gives the RDA or AI; kind='ul' the Tolerable Upper Intake Level (NaN where
    none is established); kind='cdrr' sodium's Chronic Disease Risk Reduction intake.

    >>> from cramplab import load
    >>> float(intake_targets(load(), "female_71_plus")["calcium"])  # mg a day, the RDA
    1200.0
    >>> float(intake_targets(load(), "female_71_plus", kind="ul")["calcium"])
    2000.0
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
