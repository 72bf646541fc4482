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


def make_course(foods: dict[str, dict], intakes: pd.DataFrame | None = None, claims=None):
    """A CourseData from {food_id: {serving_g, energy, magnesium, sodium, food_group?}}.

    Amounts are per 100 g; leave a nutrient out to make it missing.
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
            }
        )
        for nutrient_id in NUTRIENTS["nutrient_id"]:
            amount_rows.append(
                {"food_id": food_id, "nutrient_id": nutrient_id, "amount": spec.get(nutrient_id)}
            )
    food_nutrients = pd.DataFrame(amount_rows)
    food_nutrients["amount"] = food_nutrients["amount"].astype(float)
    empty = pd.DataFrame()
    return CourseData(
        nutrients=NUTRIENTS.copy(),
        intake_references=intake_rows() if intakes is None else intakes,
        foods=pd.DataFrame(food_rows),
        food_nutrients=food_nutrients,
        symptoms=empty,
        nutrient_symptoms=empty,
        guide_claims=claims if claims is not None else empty,
        claim_studies=empty,
        cramp_factors=empty,
        supplement_cautions=empty,
    )
