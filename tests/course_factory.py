"""Small hand-made courses, so analysis, planner and verdict tests know their answers by hand."""

import numpy as np
import pandas as pd

from cramplab.data import DAILY_VALUES_STAGE, CourseData

NUTRIENTS = pd.DataFrame(
    {
        "nutrient_id": ["magnesium", "sodium", "energy", "retinol"],
        "name": ["Magnesium", "Sodium", "Energy", "Retinol"],
        "unit": ["mg", "mg", "kcal", "µg"],
        "kind": ["electrolyte", "electrolyte", "context", "context"],
        "usda_nutr_no": [304, 307, 208, 319],
        "daily_value": [100.0, 2300.0, np.nan, np.nan],
        "deficiency_state": ["low", "low", np.nan, np.nan],
        "muscle_nerve_role": ["r", "r", "r", "r"],
        "source": ["s", "s", "s", "s"],
    }
)
VITAMIN_D = pd.DataFrame(
    {
        "nutrient_id": ["vitamin_d"],
        "name": ["Vitamin D"],
        "unit": ["µg"],
        "kind": ["vitamin"],
        "usda_nutr_no": [328],
        "daily_value": [20.0],
        "deficiency_state": ["low"],
        "muscle_nerve_role": ["r"],
        "source": ["s"],
    }
)
STAGE = "female_19_30"
ATTRIBUTES = ("dairy", "egg", "fish_shellfish", "meat_poultry", "other_animal")


CALCIUM = pd.DataFrame(
    {
        "nutrient_id": ["calcium"], "name": ["Calcium"], "unit": ["mg"],
        "kind": ["electrolyte"], "usda_nutr_no": [301], "daily_value": [1000.0],
        "deficiency_state": ["low"], "muscle_nerve_role": ["r"], "source": ["s"],
    }
)  # fmt: skip
REFERENCE_AMOUNTS = pd.DataFrame(
    {
        "racc_category": ["test_category"], "product_category": ["Test foods"],
        "reference_amount": ["100 g"], "amount": [100.0], "unit": ["g"], "source": ["test"],
        "confirmation": ["not confirmed"], "note": ["test"],
    }
)  # fmt: skip


def absorption_rows(fractions: dict[str, tuple[float, float]]) -> pd.DataFrame:
    rows = [
        {"food_id": food_id, "food_as_studied": food_id, "match": "same food",
         "fraction": fraction, "milk_fraction": milk, "calcium_load_mg": np.nan,
         "confidence": "primary", "source": "test", "note": "test"}
        for food_id, (fraction, milk) in fractions.items()
    ]  # fmt: skip
    columns = ["food_id", "food_as_studied", "match", "fraction", "milk_fraction",
               "calcium_load_mg", "confidence", "source", "note"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def intake_rows(
    magnesium=100.0, sodium_ai=100.0, sodium_cdrr=2300.0, vitamin_d=None, vitamin_d_ul=100.0
) -> pd.DataFrame:
    """female_19_30's intake references; vitamin_d=15 adds its RDA (and a UL on total intake)."""
    base = {"life_stage": STAGE, "group": "females", "age_min": 19, "age_max": 30}
    rows = [
        {**base, "nutrient_id": "magnesium", "reference_type": "RDA", "amount": magnesium,
         "unit": "mg", "ul": 350.0, "ul_scope": "supplements and medicines only"},
        {**base, "nutrient_id": "sodium", "reference_type": "AI", "amount": sodium_ai,
         "unit": "mg", "ul": np.nan, "ul_scope": "none established"},
        {**base, "nutrient_id": "sodium", "reference_type": "CDRR", "amount": sodium_cdrr,
         "unit": "mg", "ul": np.nan, "ul_scope": "none established"},
    ]  # fmt: skip
    if vitamin_d is not None:
        rows.append(
            {**base, "nutrient_id": "vitamin_d", "reference_type": "RDA", "amount": vitamin_d,
             "unit": "µg", "ul": vitamin_d_ul, "ul_scope": "total intake"}
        )  # fmt: skip
    table = pd.DataFrame(rows)
    table["note"] = np.nan
    table["source"] = "test"
    return table


def energy_rows(low=0, high=1_000_000, stages=(STAGE, DAILY_VALUES_STAGE), scale=1.0):
    """Energy bands: by default so wide that they never bind."""
    return pd.DataFrame(
        {
            "life_stage": list(stages),
            "kcal_low": low,
            "kcal_high": high,
            "portion_scale": scale,
            "basis": "test",
            "source": "test",
            "note": np.nan,
        }
    )


def retinol_rows(ul=3000.0, stages=(STAGE, DAILY_VALUES_STAGE)):
    return pd.DataFrame(
        {
            "nutrient_id": "retinol",
            "life_stage": list(stages),
            "ul": ul,
            "unit": "µg",
            "ul_scope": "preformed vitamin A only",
            "note": np.nan,
            "source": "test",
        }
    )


def fish_rows(best=3, good=1, serving_oz=4, stages=(STAGE,)):
    """FDA/EPA-style weekly fish advice for the given life stages."""
    return pd.DataFrame(
        {
            "life_stage": list(stages),
            "audience": "test",
            "serving_oz": serving_oz,
            "best_choice_servings": best,
            "good_choice_servings": good,
            "advice": "test",
            "source": "test",
            "note": np.nan,
        }
    )


FOOD_GROUP_COLUMNS = ["food_id", "food_group", "subgroup", "unit", "equivalents", "grams",
                      "measure", "rule", "dairy_fat"]  # fmt: skip
PATTERN_COLUMNS = ["pattern", "kcal", "life_stage", "component", "amount", "unit", "period",
                   "confirmation", "source"]  # fmt: skip
DRI_NUTRIENT_COLUMNS = ["nutrient_id", "name", "unit", "usda_nutr_no", "daily_value", "note",
                        "source"]  # fmt: skip
DRI_REFERENCE_COLUMNS = ["nutrient_id", "life_stage", "kind", "amount", "limit", "unit",
                         "limit_scope", "note", "source"]  # fmt: skip


def pattern_rows(kcal: int, amounts: dict[str, tuple[float, str, str]], stage=None):
    """food_patterns rows: {component: (amount, unit, period)} at one calorie level."""
    return pd.DataFrame(
        [["healthy_us_style", kcal, stage if stage else np.nan, component, amount, unit, period,
          "test", "test"] for component, (amount, unit, period) in amounts.items()],
        columns=PATTERN_COLUMNS,
    )  # fmt: skip


def dri_nutrient_rows(nutrients: dict[str, tuple[str, float | None, float | None]]):
    """dri_nutrients rows: {nutrient_id: (unit, usda_nutr_no or None, daily_value or None)}."""
    return pd.DataFrame(
        [[n, n.replace("_", " ").capitalize(), unit, number, dv, np.nan, "test"]
         for n, (unit, number, dv) in nutrients.items()],
        columns=DRI_NUTRIENT_COLUMNS,
    )  # fmt: skip


def dri_reference_rows(rows: list[tuple]):
    """dri_references rows: (nutrient_id, life_stage, kind, amount, limit, unit, limit_scope)."""
    return pd.DataFrame(
        [[*row, np.nan, "test"] for row in rows], columns=DRI_REFERENCE_COLUMNS
    ).astype({"amount": float, "limit": float})


def make_course(
    foods: dict[str, dict],
    intakes: pd.DataFrame | None = None,
    claims=None,
    *,
    nutrients: pd.DataFrame | None = None,
    energy: pd.DataFrame | None = None,
    upper_limits: pd.DataFrame | None = None,
    fish: pd.DataFrame | None = None,
    categories: pd.DataFrame | None = None,
    absorption=None,
    parts: pd.DataFrame | None = None,
    studies: pd.DataFrame | None = None,
    grades: pd.DataFrame | None = None,
    patterns: pd.DataFrame | None = None,
    dri_nutrients: pd.DataFrame | None = None,
    dri_references: pd.DataFrame | None = None,
):
    """A CourseData from {food_id: {serving_g, energy, magnesium, sodium, ...}}.

    Amounts are per 100 g; leave a nutrient out to make it missing (retinol too: a food that is
    neither animal nor fortified then counts 0). Planner columns, all optional: the attributes
    dairy, egg, fish_shellfish, meat_poultry, other_animal (true/false), fish_advice,
    fortified, max_portions (default 3, of a portion of serving_g) and category (default
    "any", a category that never binds). Food columns from the reference-amount tables:
    food_group, racc_g (default: the serving), label_serving_g, calcium (adds the nutrient).
    absorption: {food_id: (fraction, milk_fraction)} for calcium_absorption. parts, studies
    and grades: claim_parts, claim_studies and claim_grades for the claims. The food pattern:
    a food's group, subgroup (default: its group), unit and equivalents per 100 g
    ({"group": "dairy", "unit": "cup_eq", "equivalents": 1.0}; dairy_fat too), patterns
    (pattern_rows; give energy a pattern_kcal column to apply one). The other DRI nutrients:
    dri_nutrients (dri_nutrient_rows), dri_references (dri_reference_rows) and their amounts
    in the food specs, like any nutrient.
    """
    dri_nutrients = (
        pd.DataFrame(columns=DRI_NUTRIENT_COLUMNS) if dri_nutrients is None else dri_nutrients
    )
    nutrients = NUTRIENTS if nutrients is None else nutrients
    if any("calcium" in spec for spec in foods.values()) and "calcium" not in set(
        nutrients["nutrient_id"]
    ):
        nutrients = pd.concat([nutrients, CALCIUM], ignore_index=True)
    food_rows, amount_rows, attribute_rows, cap_rows = [], [], [], []
    group_rows, dri_rows = [], []
    tracked = dri_nutrients.loc[dri_nutrients["usda_nutr_no"].notna(), "nutrient_id"]
    for food_id, spec in foods.items():
        food_rows.append(
            {
                "food_id": food_id,
                "name": food_id.title(),
                "ndb_no": "00000",
                "usda_description": spec.get("description", food_id),
                "food_group": spec.get("food_group", "Vegetables and Vegetable Products"),
                "weight_seq": 1,
                "serving_g": float(spec["serving_g"]),
                "serving_desc": "1 portion",
                "guide_named": False,
                "guide_term": np.nan,
                "fortified": bool(spec.get("fortified", False)),
                "leader_for": np.nan,
                "racc_category": "test_category",
                "racc_weight_seq": pd.NA,
                "racc_g": float(spec.get("racc_g", spec["serving_g"])),
                "racc_note": np.nan,
                "label_serving_g": float(spec.get("label_serving_g", np.nan)),
            }
        )
        for nutrient_id in nutrients["nutrient_id"]:
            amount = spec.get(nutrient_id)
            amount_rows.append({"food_id": food_id, "nutrient_id": nutrient_id, "amount": amount})
        attribute_rows.append(
            {
                "food_id": food_id,
                **{name: bool(spec.get(name, False)) for name in ATTRIBUTES},
                "fish_advice": spec.get("fish_advice", np.nan),
                "decided_by": "manual",
                "reason": "test",
                "note": np.nan,
            }
        )
        for nutrient_id in tracked:
            dri_rows.append(
                {"food_id": food_id, "nutrient_id": nutrient_id, "amount": spec.get(nutrient_id)}
            )
        group = spec.get("group", "none")
        group_rows.append(
            {
                "food_id": food_id,
                "food_group": group,
                "subgroup": spec.get("subgroup", group),
                "unit": spec.get("unit", np.nan),
                "equivalents": spec.get("equivalents", np.nan),
                "grams": 100.0 if group != "none" else np.nan,
                "measure": "100 g",
                "rule": "test",
                "dairy_fat": spec.get("dairy_fat", np.nan),
            }
        )
        cap_rows.append(
            {
                "food_id": food_id,
                "category": spec.get("category", "any"),
                "portion": "1 portion",
                "portion_g": float(spec["serving_g"]),
                "max_portions": float(spec.get("max_portions", 3)),
            }
        )
    food_nutrients = pd.DataFrame(amount_rows)
    food_nutrients["amount"] = food_nutrients["amount"].astype(float)
    if categories is None:
        categories = pd.DataFrame(
            {"category": ["any"], "name": ["Any food"], "rule": "3 portions", "basis": "test",
             "kind": "judgement", "max_caps": 1000.0, "sr28_groups": np.nan, "max_g": np.nan,
             "source": "test"}
        )  # fmt: skip
    empty = pd.DataFrame()
    return CourseData(
        nutrients=nutrients.copy(),
        intake_references=intake_rows() if intakes is None else intakes,
        foods=pd.DataFrame(food_rows),
        food_nutrients=food_nutrients,
        reference_amounts=REFERENCE_AMOUNTS.copy(),
        calcium_absorption=absorption_rows(absorption or {}),
        symptoms=empty,
        nutrient_symptoms=empty,
        guide_claims=claims if claims is not None else empty,
        claim_parts=parts if parts is not None else empty,
        claim_studies=studies if studies is not None else empty,
        claim_grades=grades if grades is not None else empty,
        evidence_searches=empty,
        cramp_factors=empty,
        supplement_cautions=empty,
        food_attributes=pd.DataFrame(attribute_rows),
        portion_categories=categories,
        portion_caps=pd.DataFrame(cap_rows),
        energy_bands=energy_rows() if energy is None else energy,
        fish_advice=fish_rows(stages=()) if fish is None else fish,
        upper_limits=retinol_rows() if upper_limits is None else upper_limits,
        population_intakes=empty,
        food_groups=pd.DataFrame(group_rows, columns=FOOD_GROUP_COLUMNS),
        food_patterns=pd.DataFrame(columns=PATTERN_COLUMNS) if patterns is None else patterns,
        dri_nutrients=dri_nutrients,
        dri_references=(
            pd.DataFrame(columns=DRI_REFERENCE_COLUMNS)
            if dri_references is None
            else dri_references
        ),
        dri_food_nutrients=pd.DataFrame(
            dri_rows, columns=["food_id", "nutrient_id", "amount"]
        ).astype({"amount": float}),
    )
