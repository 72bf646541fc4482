"""The planner on tables small enough to solve by hand."""

import pytest
from course_factory import intake_rows

from cramplab.plan import NoMenuPossible, excluded_foods, plan_menu, targets_for

# Per serving: A gives 100 kcal and 50 mg magnesium, B 300 kcal and 100 mg (servings = 100 g).
FOODS = {
    "a": {"serving_g": 100, "energy": 100, "magnesium": 50, "sodium": 100},
    "b": {"serving_g": 100, "energy": 300, "magnesium": 100, "sodium": 100},
}


def test_targets_follow_the_life_stage(course):
    targets = targets_for(course(FOODS), "female_19_30")
    assert targets.minimum["magnesium"] == 100
    assert targets.maximum["sodium"] == 2300  # the CDRR
    assert targets_for(course(FOODS)).minimum["magnesium"] == 100  # the DV


def test_fewest_calories(course):
    menu = plan_menu(course(FOODS), life_stage="female_19_30")
    # Two servings of A (200 kcal) beat one of B (300 kcal).
    assert menu.items["servings"].to_dict() == {"a": 2.0}
    assert menu.items["kcal"].sum() == 200
    assert menu.totals.at["magnesium", "binds"] == "target"


def test_half_servings_and_the_serving_bound(course):
    menu = plan_menu(course(FOODS), life_stage="female_19_30", max_servings=1)
    # A alone reaches only 50 mg; 1 A + 1/2 B = 100 mg for 250 kcal beats 1 B at 300 kcal.
    assert menu.items["servings"].to_dict() == {"a": 1.0, "b": 0.5}
    assert "A at 1 servings" in menu.binding


def test_fewest_foods(course):
    menu = plan_menu(course(FOODS), life_stage="female_19_30", max_servings=1, objective="foods")
    assert menu.items["servings"].to_dict() == {"b": 1.0}


def test_fewest_foods_breaks_ties_by_calories(course):
    menu = plan_menu(course(FOODS), life_stage="female_19_30", objective="foods")
    assert menu.items["servings"].to_dict() == {"a": 2.0}


def test_unreachable_target_names_the_nutrient(course):
    intakes = intake_rows(magnesium=1000)
    with pytest.raises(NoMenuPossible, match="magnesium") as error:
        plan_menu(course(FOODS, intakes=intakes), life_stage="female_19_30")
    assert error.value.nutrients == ["magnesium"]


def test_sodium_limit_makes_the_menu_impossible(course):
    salty = {"a": {"serving_g": 100, "energy": 100, "magnesium": 50, "sodium": 1500}}
    with pytest.raises(NoMenuPossible, match="dropping the target for magnesium") as error:
        plan_menu(course(salty), life_stage="female_19_30")
    assert error.value.nutrients == ["magnesium"]


def test_missing_sodium_keeps_a_food_out(course):
    foods = {**FOODS, "c": {"serving_g": 100, "energy": 10, "magnesium": 100}}
    menu = plan_menu(course(foods), life_stage="female_19_30")
    assert menu.foods_considered == 2
    assert "c" not in menu.items.index


def test_exclusions_and_extra_limits(course):
    data = course({**FOODS, "milk": {**FOODS["a"], "food_group": "Dairy and Egg Products"}})
    assert list(excluded_foods(data, patterns=("no_dairy",))) == ["milk"]
    menu = plan_menu(data, life_stage="female_19_30", exclude=["a", "milk"])
    assert list(menu.items.index) == ["b"]
    with pytest.raises(NoMenuPossible):
        plan_menu(data, life_stage="female_19_30", limits={"energy": 150})
    with pytest.raises(ValueError, match="unknown diet pattern"):
        excluded_foods(data, patterns=("paleo",))


def test_exclusion_by_flag(course):
    data = course(FOODS)
    data.foods.loc[data.foods["food_id"] == "b", "fortified"] = True
    assert list(excluded_foods(data, flags=("fortified",))) == ["b"]
    with pytest.raises(ValueError, match="not a true/false column"):
        excluded_foods(data, flags=("name",))


def test_shadow_price_is_the_calorie_cost_of_the_last_unit(course):
    menu = plan_menu(course(FOODS), life_stage="female_19_30")
    # Food A buys magnesium at 100 kcal / 50 mg: each mg of target costs 2 kcal.
    assert menu.totals.at["magnesium", "shadow_kcal_per_unit"] == pytest.approx(2.0)
    # Sodium comes free with A (100 mg a serving) and its limit is far away.
    assert menu.totals.at["sodium", "shadow_kcal_per_unit"] == pytest.approx(0.0)
    assert menu.totals.at["sodium", "binds"] == ""


def test_candidate_pruning_finds_the_same_optimum_as_a_full_solve(course, monkeypatch):
    import numpy as np

    from cramplab import plan

    rng = np.random.default_rng(7)
    foods = {
        f"f{i}": {
            "serving_g": 100,
            "energy": float(rng.uniform(10, 400)),
            "magnesium": float(rng.uniform(0, 60)),
            "sodium": float(rng.uniform(0, 900)),
        }
        for i in range(30)
    }
    data = course(foods)
    full = plan_menu(data, life_stage="female_19_30", objective="calories")  # 30 <= CANDIDATES
    monkeypatch.setattr(plan, "CANDIDATES", 2)  # force the proof-and-widen path
    pruned = plan_menu(data, life_stage="female_19_30", objective="calories")
    assert pruned.items["kcal"].sum() == pytest.approx(full.items["kcal"].sum(), rel=1e-4)
    assert pruned.totals.at["magnesium", "total"] >= 100
