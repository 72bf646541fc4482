"""Small hand-made courses, so analysis, planner and verdict tests know their answers by hand."""

import numpy as np
import pandas as pd

from cramplab.data import CourseData

NUTRIENTS = pd.DataFrame(
    {
        "nutrient_id": ["magnesium", "sodium", "energy"],
        "name": ["Magnesium", "Sodium", "Energy"],
        "unit": ["mg", "mg", "kcal"],
        "kind": ["electrolyte", "electrolyte", "context"],
        "usda_nutr_no": [304, 307, 208],
        "daily_value": [100.0, 2300.0, np.nan],
        "deficiency_state": ["low", "low", np.nan],
        "muscle_nerve_role": ["r", "r", "r"],
        "source": ["s", "s", "s"],
    }
)


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


def intake_rows(magnesium=100.0, sodium_ai=100.0, sodium_cdrr=2300.0) -> pd.DataFrame:
    base = {"life_stage": "female_19_30", "group": "females", "age_min": 19, "age_max": 30}
    rows = [
        {**base, "nutrient_id": "magnesium", "reference_type": "RDA", "amount": magnesium,
         "unit": "mg", "ul": 350.0, "ul_scope": "supplements and medicines only"},
        {**base, "nutrient_id": "sodium", "reference_type": "AI", "amount": sodium_ai,
         "unit": "mg", "ul": np.nan, "ul_scope": "none established"},
        {**base, "nutrient_id": "sodium", "reference_type": "CDRR", "amount": sodium_cdrr,
         "unit": "mg", "ul": np.nan, "ul_scope": "none established"},
    ]  # fmt: skip
    table = pd.DataFrame(rows)
    table["note"] = np.nan
    table["source"] = "test"
    return table


def make_course(
    foods: dict[str, dict], intakes: pd.DataFrame | None = None, claims=None, absorption=None
):
    """A CourseData from {food_id: {serving_g, energy, magnesium, sodium, food_group?,
    racc_g?, label_serving_g?, calcium?}}.

    Amounts are per 100 g; leave a nutrient out to make it missing. racc_g defaults to the
    serving. absorption: {food_id: (fraction, milk_fraction)} for calcium_absorption.
    """
    food_rows, amount_rows = [], []
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
                "fortified": False,
                "leader_for": np.nan,
                "racc_category": "test_category",
                "racc_weight_seq": pd.NA,
                "racc_g": float(spec.get("racc_g", spec["serving_g"])),
                "racc_note": np.nan,
                "label_serving_g": float(spec.get("label_serving_g", np.nan)),
            }
        )
        for nutrient_id in NUTRIENTS["nutrient_id"]:
            amount_rows.append(
                {"food_id": food_id, "nutrient_id": nutrient_id, "amount": spec.get(nutrient_id)}
            )
    nutrients = NUTRIENTS.copy()
    if any("calcium" in spec for spec in foods.values()):
        nutrients = pd.concat([nutrients, CALCIUM], ignore_index=True)
        for food_id, spec in foods.items():
            amount_rows.append(
                {"food_id": food_id, "nutrient_id": "calcium", "amount": spec.get("calcium")}
            )
    food_nutrients = pd.DataFrame(amount_rows)
    food_nutrients["amount"] = food_nutrients["amount"].astype(float)
    empty = pd.DataFrame()
    return CourseData(
        nutrients=nutrients,
        intake_references=intake_rows() if intakes is None else intakes,
        foods=pd.DataFrame(food_rows),
        food_nutrients=food_nutrients,
        reference_amounts=REFERENCE_AMOUNTS.copy(),
        calcium_absorption=absorption_rows(absorption or {}),
        symptoms=empty,
        nutrient_symptoms=empty,
        guide_claims=claims if claims is not None else empty,
        claim_studies=empty,
        cramp_factors=empty,
        supplement_cautions=empty,
    )
