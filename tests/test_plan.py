"""The planner on tables small enough to solve by hand.

Each test builds a course whose optimum can be worked out on paper: amounts are per 100 g and
each food's portion is its serving (100 g unless stated), so a portion holds what the table
says. The targets are female_19_30's from course_factory (magnesium 100 mg, sodium AI 100 mg,
sodium CDRR 2,300 mg) unless a test says otherwise.
"""

import math

import numpy as np
import pandas as pd
import pytest
from course_factory import (
    NUTRIENTS,
    STAGE,
    VITAMIN_D,
    dri_nutrient_rows,
    dri_reference_rows,
    energy_rows,
    fish_rows,
    intake_rows,
    pattern_rows,
)

from cramplab import plan
from cramplab.plan import NoMenuPossible, binds, excluded_foods, plan_menu, targets_for

# A gives 100 kcal and 50 mg magnesium a portion, B 300 kcal and 100 mg; at most 3 portions.
FOODS = {
    "a": {"serving_g": 100, "energy": 100, "magnesium": 50, "sodium": 100},
    "b": {"serving_g": 100, "energy": 300, "magnesium": 100, "sodium": 100},
}


def test_targets_follow_the_life_stage(course):
    targets = targets_for(course(FOODS), STAGE)
    assert targets.minimum["magnesium"] == 100
    assert targets.maximum["sodium"] == 2300 and targets.scope["sodium"] == "CDRR"
    assert targets.maximum["retinol"] == 3000 and "preformed" in targets.scope["retinol"]
    assert math.isnan(targets.maximum["magnesium"])  # its UL is for supplements only
    assert targets.energy == (0, 1_000_000)
    assert targets_for(course(FOODS)).minimum["magnesium"] == 100  # the DV


def test_the_smallest_menu_counts_each_food_as_a_share_of_its_cap(course):
    menu = plan_menu(course(FOODS), life_stage=STAGE)
    # A needs 2 of its 3 portions (2/3 of its cap), B 1 of 3 (1/3): B is the smaller menu.
    assert menu.items["portions"].to_dict() == {"b": 1.0}
    assert menu.totals.at["magnesium", "binds"] == "target"


def test_fewest_calories(course):
    menu = plan_menu(course(FOODS), life_stage=STAGE, objective="calories")
    # Two portions of A (200 kcal) beat one of B (300 kcal).
    assert menu.items["portions"].to_dict() == {"a": 2.0}
    assert menu.kcal == 200


def test_half_portions_and_the_gram_cap(course):
    foods = {**FOODS, "a": {**FOODS["a"], "max_portions": 1}}
    menu = plan_menu(course(foods), life_stage=STAGE, objective="calories")
    # A alone reaches only 50 mg; 1 A + 1/2 B = 100 mg for 250 kcal beats 1 B at 300 kcal.
    assert menu.items["portions"].to_dict() == {"a": 1.0, "b": 0.5}
    assert menu.items.at["a", "grams"] == 100 and menu.items.at["a", "at_cap"]
    assert "A at its cap" in menu.binding


def test_a_spice_is_a_pinch(course):
    # The spice is the leanest magnesium (50 mg for 3 kcal in its 1 g portion, with 100 mg of
    # sodium), but a day holds one portion of it: the other 50 mg come from A.
    spice = {"serving_g": 1, "energy": 300, "magnesium": 5000, "sodium": 10000, "max_portions": 1}
    data = course({**FOODS, "spice": spice})
    menu = plan_menu(data, life_stage=STAGE, objective="calories")
    assert menu.items["portions"].to_dict() == {"a": 1.0, "spice": 1.0}
    assert menu.items.at["spice", "grams"] == 1 and menu.items.at["spice", "at_cap"]
    loose = plan_menu(data, life_stage=STAGE, objective="calories", portions={"spice": 3})
    assert loose.items["portions"].to_dict() == {"spice": 2.0}


def test_fewest_foods_then_the_least_energy(course):
    foods = {k: {**v, "max_portions": 1} for k, v in FOODS.items()}
    menu = plan_menu(course(foods), life_stage=STAGE, objective="foods")
    assert menu.items["portions"].to_dict() == {"b": 1.0}
    menu = plan_menu(course(FOODS), life_stage=STAGE, objective="foods")
    # One food either way (2 A or 1 B); the second solve trims it to the least energy.
    assert menu.items["portions"].to_dict() in ({"a": 2.0}, {"b": 1.0})


def test_an_energy_band_is_a_day_not_a_snack(course):
    data = course(FOODS, energy=energy_rows(low=350, high=1000))
    menu = plan_menu(data, life_stage=STAGE, objective="calories")
    # 200 kcal would do for magnesium, but the day needs 350: 2 A + 1/2 B is the leanest.
    assert menu.items["portions"].to_dict() == {"a": 2.0, "b": 0.5}
    assert menu.kcal == 350
    assert menu.totals.at["energy", "binds"] == "target"
    with pytest.raises(NoMenuPossible, match="energy 0-150 kcal"):
        plan_menu(course(FOODS, energy=energy_rows(high=150)), life_stage=STAGE)


def test_a_limit_that_binds(course):
    salty = {"serving_g": 100, "energy": 100, "magnesium": 50, "sodium": 1100}
    foods = {"a": salty, "b": {**FOODS["b"], "sodium": 0}}
    data = course(foods, intakes=intake_rows(magnesium=200))
    menu = plan_menu(data, life_stage=STAGE, objective="calories")
    # Four A would be cheapest (400 kcal) but hold 4,400 mg sodium; the CDRR allows 2 A.
    assert menu.items["portions"].to_dict() == {"a": 2.0, "b": 1.0}
    assert menu.totals.at["sodium", "binds"] == "limit"
    assert "sodium limit" in menu.binding


def test_an_extra_limit_and_a_changed_cap(course):
    data = course(FOODS)
    with pytest.raises(NoMenuPossible):
        plan_menu(data, life_stage=STAGE, limits={"energy": 150})
    menu = plan_menu(data, life_stage=STAGE, objective="calories", portions={"a": 1})
    assert menu.items["portions"].to_dict() == {"a": 1.0, "b": 0.5}
    with pytest.raises(ValueError, match="no food 'c'"):
        plan_menu(data, life_stage=STAGE, portions={"c": 1})


def vitamin_d_course(course, **foods):
    """Vitamin D is the only target (15 µg); magnesium and sodium need nothing."""
    nutrients = pd.concat([NUTRIENTS, VITAMIN_D], ignore_index=True)
    intakes = intake_rows(magnesium=0, sodium_ai=0, vitamin_d=15)
    return course(foods, intakes=intakes, nutrients=nutrients)


# The trap: a fish-liver oil meets vitamin D in a few grams, each portion (5 g) holding
# 12.5 µg vitamin D and 2,500 µg retinol; fish holds 8.5 µg and 42.5 µg a portion (85 g).
LIVER_OIL = {"serving_g": 5, "energy": 900, "vitamin_d": 250, "retinol": 50000, "sodium": 0,
             "fish_shellfish": True}  # fmt: skip
FISH = {"serving_g": 85, "energy": 200, "vitamin_d": 10, "retinol": 50, "sodium": 60,
        "fish_shellfish": True, "fish_advice": "best_choice"}  # fmt: skip


def test_the_vitamin_a_trap(course):
    data = vitamin_d_course(course, oil=LIVER_OIL, fish=FISH)
    unguarded = plan_menu(data, life_stage=STAGE, objective="calories", limits={"retinol": np.inf})
    # Without a retinol limit, 1 1/2 portions of oil (18.75 µg D, 67.5 kcal) win ...
    assert unguarded.items["portions"].to_dict() == {"oil": 1.5}
    assert unguarded.totals.at["retinol", "total"] == 3750  # ... at 1.25 x the UL.
    menu = plan_menu(data, life_stage=STAGE, objective="calories")
    # With it, one portion of oil (2,500 µg) and half a portion of fish make up the rest.
    assert menu.items["portions"].to_dict() == {"oil": 1.0, "fish": 0.5}
    assert menu.totals.at["retinol", "total"] <= 3000


def test_missing_retinol_is_zero_only_for_plant_foods_not_fortified(course):
    mushroom = {"serving_g": 100, "energy": 20, "vitamin_d": 20, "sodium": 5}  # no retinol value
    data = vitamin_d_course(course, mushroom=mushroom, fish=FISH)
    assert list(plan_menu(data, life_stage=STAGE, objective="calories").items.index) == [
        "mushroom"
    ]
    for change in ({"fortified": True}, {"egg": True}):
        data = vitamin_d_course(course, mushroom={**mushroom, **change}, fish=FISH)
        menu = plan_menu(data, life_stage=STAGE, objective="calories")
        assert list(menu.items.index) == ["fish"]
        assert menu.excluded == {"energy or a limited nutrient missing": 1}


def test_an_upper_limit_on_total_intake_binds(course):
    # A fortified bar is the leanest magnesium (50 mg for 10 kcal) but holds 15 µg vitamin D;
    # vitamin D's UL (here 30 µg) covers total intake, so the bar stops at 2 portions.
    bar = {"serving_g": 100, "energy": 10, "magnesium": 50, "vitamin_d": 15, "retinol": 0,
           "sodium": 0}  # fmt: skip
    a = {**FOODS["a"], "vitamin_d": 0, "retinol": 0, "sodium": 0}
    nutrients = pd.concat([NUTRIENTS, VITAMIN_D], ignore_index=True)
    intakes = intake_rows(magnesium=150, sodium_ai=0, vitamin_d=0, vitamin_d_ul=30)
    data = course({"bar": bar, "a": a}, intakes=intakes, nutrients=nutrients)
    menu = plan_menu(data, life_stage=STAGE, objective="calories")
    assert menu.items["portions"].to_dict() == {"bar": 2.0, "a": 1.0}
    assert menu.totals.at["vitamin_d", "binds"] == "limit"
    assert menu.totals.at["vitamin_d", "limit_scope"] == "UL"


def test_fish_in_pregnancy_stays_within_the_weekly_advice(course):
    # 3 servings of 4 oz a week of best choices: 340.2 g, 48.6 g a day. Fish is the leanest
    # vitamin D here, so without the advice the menu would be fish alone.
    swordfish = {**FISH, "fish_advice": "choice_to_avoid", "energy": 100}
    milk = {"serving_g": 100, "energy": 60, "vitamin_d": 1, "retinol": 40, "sodium": 40,
            "dairy": True, "max_portions": 20}  # fmt: skip
    nutrients = pd.concat([NUTRIENTS, VITAMIN_D], ignore_index=True)
    foods = {
        "fish": {**FISH, "serving_g": 20, "max_portions": 20},
        "sword": swordfish,
        "milk": milk,
    }
    intakes = intake_rows(magnesium=0, sodium_ai=0, vitamin_d=15)
    free = plan_menu(course(foods, intakes=intakes, nutrients=nutrients), life_stage=STAGE,
                     objective="calories")  # fmt: skip
    assert "sword" in free.items.index  # no advice for this life stage: swordfish is cheapest
    advised = course(foods, intakes=intakes, nutrients=nutrients, fish=fish_rows())
    menu = plan_menu(advised, life_stage=STAGE, objective="calories")
    assert "sword" not in menu.items.index
    weekly = menu.items.loc[["fish"], "grams"].sum() * 7
    assert weekly <= 3 * 4 * plan.OUNCE_G + 1e-9
    assert menu.totals.at["fish_week", "total"] <= 1 + 1e-9
    assert menu.excluded["fish the FDA/EPA advice leaves out for this life stage"] == 1


def test_a_category_holds_one_cap_of_its_kind(course):
    categories = pd.DataFrame(
        {"category": ["bean", "other"], "name": ["Beans", "Other"], "rule": "r", "basis": "b",
         "kind": "judgement", "max_caps": [1.0, 100.0], "sr28_groups": np.nan, "max_g": np.nan,
         "source": "s"}
    )  # fmt: skip
    beans = {"serving_g": 100, "energy": 100, "magnesium": 80, "sodium": 100, "category": "bean",
             "max_portions": 1}  # fmt: skip
    foods = {"lentil": beans, "chickpea": beans, "bread": {**FOODS["b"], "category": "other"}}
    menu = plan_menu(course(foods, categories=categories), life_stage=STAGE, objective="calories")
    # 1 1/2 bean portions (120 mg, 150 kcal) would be leanest, but beans together hold one
    # cap: one portion of beans (80 mg) and half a portion of bread (50 mg), 250 kcal.
    beans_eaten = menu.items.loc[menu.items.index.isin(["lentil", "chickpea"]), "portions"]
    assert beans_eaten.sum() == 1.0
    assert menu.items.at["bread", "portions"] == 0.5
    assert menu.kcal == 250


def test_children_eat_a_share_of_the_adult_caps(course):
    data = course(FOODS, intakes=intake_rows(magnesium=75), energy=energy_rows(scale=0.5))
    menu = plan_menu(data, life_stage=STAGE, objective="calories", portions={"b": 0})
    assert menu.items["portions"].to_dict() == {"a": 1.5}  # 3 portions x 0.5 = 1.5: 75 mg
    assert menu.totals.at["magnesium", "total"] == 75


def test_diet_patterns_by_what_a_food_contains(course):
    foods = {
        "soup": {
            **FOODS["a"],
            "description": "Soup, vegetable with chicken",
            "meat_poultry": True,
        },
        "drink": {**FOODS["a"], "description": "Chocolate drink, milk based", "dairy": True},
        "honey": {**FOODS["a"], "description": "Honey", "other_animal": True},
        "oil": {**FOODS["a"], "description": "Fish oil, cod liver", "fish_shellfish": True},
        "beans": FOODS["a"],
    }
    data = course(foods)  # every food filed in the vegetable group
    assert list(excluded_foods(data, patterns=("vegetarian",))) == ["soup", "oil"]
    assert list(excluded_foods(data, patterns=("no_dairy",))) == ["drink"]
    assert list(excluded_foods(data, patterns=("no_fish",))) == ["oil"]
    assert list(excluded_foods(data, patterns=("vegan",))) == ["soup", "drink", "honey", "oil"]
    menu = plan_menu(data, life_stage=STAGE, patterns=("vegan",))
    assert list(menu.items.index) == ["beans"]
    assert menu.table().columns.name == "menu for female_19_30, vegan"
    with pytest.raises(ValueError, match="unknown diet pattern"):
        excluded_foods(data, patterns=("paleo",))


def test_exclusion_by_flag(course):
    data = course(FOODS)
    data.foods.loc[data.foods["food_id"] == "b", "fortified"] = True
    assert list(excluded_foods(data, flags=("fortified",))) == ["b"]
    with pytest.raises(ValueError, match="not a true/false column"):
        excluded_foods(data, flags=("name",))


def test_an_unreachable_target_names_the_nutrient_and_what_stands_in_the_way(course):
    with pytest.raises(NoMenuPossible, match="magnesium") as error:
        plan_menu(course(FOODS, intakes=intake_rows(magnesium=1000)), life_stage=STAGE)
    assert error.value.nutrients == ["magnesium"]
    assert "portion caps" in error.value.limits  # 3 A + 3 B give 450 mg at most
    assert "at most 450 of 1e+03" in str(error.value)


def test_a_limit_that_makes_the_menu_impossible_is_named(course):
    salty = {"a": {"serving_g": 100, "energy": 100, "magnesium": 50, "sodium": 1500}}
    with pytest.raises(NoMenuPossible, match=r"sodium ≤ 2,300 \(CDRR\)") as error:
        plan_menu(course(salty), life_stage=STAGE)
    assert error.value.nutrients == ["magnesium"]
    assert error.value.limits == ["sodium"]


def test_missing_sodium_keeps_a_food_out(course):
    foods = {**FOODS, "c": {"serving_g": 100, "energy": 10, "magnesium": 100}}
    menu = plan_menu(course(foods), life_stage=STAGE)
    assert menu.foods_considered == 2
    assert "c" not in menu.items.index


def test_one_rule_for_binding():
    totals = pd.DataFrame(
        {"total": [104.0, 106.0, 96.0, 94.0], "target": [100.0, 100.0, 0, 0],
         "limit": [np.nan, np.nan, 100.0, 100.0]},
        index=["close", "room", "near", "far"],
    )  # fmt: skip
    assert binds(totals).to_dict() == {"close": "target", "room": "", "near": "limit", "far": ""}


def test_the_menu_table_lists_grams_and_energy_with_a_total(course):
    table = plan_menu(course(FOODS), life_stage=STAGE).table()
    columns = ["food group", "name", "amount", "portions", "portion", "grams", "kcal"]
    assert list(table.columns) == columns
    assert table.loc["total", ["grams", "kcal"]].tolist() == [100.0, 300.0]
    assert table.at["b", "amount"] == "1 portion"


@pytest.mark.parametrize(
    ("portions", "portion", "shown"),
    [(1.5, "1 cup", "1 1/2 cup"), (0.5, "3 oz", "1 1/2 oz"), (0.25, "3/4 cup", "3/16 cup"),
     (2, "1 slice", "2 slice"), (0.375, "1 medium (3\" dia)", "3/8 medium (3\" dia)"),
     (1, "slice", "1 slice")],
)  # fmt: skip
def test_household_measures_multiply_the_measure(portions, portion, shown):
    assert plan.household(portions, portion) == shown


def test_candidate_pruning_finds_the_same_optimum_as_a_full_solve(course, monkeypatch):
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
    for objective in ("size", "calories"):
        full = plan_menu(data, life_stage=STAGE, objective=objective)  # 30 <= CANDIDATES
        monkeypatch.setattr(plan, "CANDIDATES", 2)  # force the proof-and-widen path
        pruned = plan_menu(data, life_stage=STAGE, objective=objective)
        monkeypatch.undo()
        assert pruned.items["kcal"].sum() == pytest.approx(full.items["kcal"].sum(), rel=1e-4)
        assert pruned.totals.at["magnesium", "total"] >= 100


def test_every_life_stage_has_what_the_planner_needs():
    import cramplab

    data = cramplab.load()
    complete = plan.complete_day_stages(data)
    assert {"daily_values", "child_4_8", "female_31_50", "pregnancy_14_18"} <= set(complete)
    for stage in [None, *data.intake_references["life_stage"].unique()]:
        rules = "guidelines" if (stage or "daily_values") in complete else "cramp"
        targets = targets_for(data, stage, rules)
        assert targets.energy[0] < targets.energy[1]
        assert targets.maximum["retinol"] > 0
        assert targets.maximum["sodium"] > 0


# --- a complete day: rules="guidelines" (the default) -----------------------------------------


def test_a_life_stage_without_a_complete_day_is_refused_not_half_planned():
    import cramplab

    data = cramplab.load()
    with pytest.raises(ValueError, match=r"female_71_plus.*rules='cramp'") as refused:
        plan_menu(data, life_stage="female_71_plus")
    assert "data/dri_references.csv" in str(refused.value)
    menu = plan_menu(data, life_stage="female_71_plus", rules="cramp")
    assert menu.targets.rules == "cramp" and "not tracked" not in menu.claim()


def test_sodium_is_a_limit_never_a_floor(course):
    salty = {"serving_g": 100, "energy": 100, "magnesium": 0, "sodium": 1000}
    data = course({"a": {**FOODS["a"], "sodium": 0}, "salty": salty})
    assert "sodium" not in targets_for(data, STAGE).minimum
    assert targets_for(data, STAGE).maximum["sodium"] == 2300  # the CDRR
    menu = plan_menu(data, life_stage=STAGE)
    assert "salty" not in menu.items.index  # no target asks for sodium
    old = plan_menu(data, life_stage=STAGE, rules="cramp")  # the AI as a floor
    assert "salty" in old.items.index


def share_course(course, foods, stage_rows=()):
    """Saturated fat (g) tracked, with the Dietary Guidelines' limit of 10% of energy."""
    dri = dri_nutrient_rows({"saturated_fat": ("g", 606, None), "iodine": ("µg", None, 150)})
    refs = dri_reference_rows(
        [("saturated_fat", STAGE, "DGA limit", np.nan, 10.0, "% of energy", "share of energy"),
         *stage_rows]
    )  # fmt: skip
    return course(foods, dri_nutrients=dri, dri_references=refs)


def test_saturated_fat_is_a_share_of_energy(course):
    # Buttery: 100 kcal and 5 g saturated fat (45 kcal, 45% of its energy) a portion; lean:
    # 200 kcal, none. The least energy would be one buttery portion, but any buttery share
    # breaks 10%: 35 x <= 20 y has no solution in halves with x + y = 1 but x = 0.
    foods = {
        "buttery": {"serving_g": 100, "energy": 100, "magnesium": 100, "sodium": 0,
                    "saturated_fat": 5.0},
        "lean": {"serving_g": 100, "energy": 200, "magnesium": 100, "sodium": 0,
                 "saturated_fat": 0.0},
    }  # fmt: skip
    data = share_course(course, foods)
    menu = plan_menu(data, life_stage=STAGE, objective="calories")
    assert menu.items["portions"].to_dict() == {"lean": 1.0}
    grams = menu.items["grams"]
    saturated = sum(grams[f] * foods[f]["saturated_fat"] / 100 for f in grams.index)
    assert saturated * 9 / menu.kcal * 100 == menu.shares.at["saturated_fat", "percent"] <= 10
    unlimited = plan_menu(course(foods), life_stage=STAGE, objective="calories")
    assert unlimited.items["portions"].to_dict() == {"buttery": 1.0}


def test_nutrients_sr28_lacks_are_named_not_tracked_never_met(course):
    foods = {"a": {**FOODS["a"], "saturated_fat": 0.0}}
    menu = plan_menu(share_course(course, foods), life_stage=STAGE)
    assert menu.targets.not_tracked == {"Iodine": "not in SR28"}
    assert "iodine" not in menu.totals.index
    assert menu.claim().endswith("; not tracked: iodine")
    assert menu.claim().startswith(f"meets {len(menu.targets.minimum)} nutrient targets")


def test_another_dri_nutrient_is_a_target_and_its_ul_a_limit(course):
    iron_rows = [("iron", STAGE, "RDA", 18.0, np.nan, "mg", np.nan),
                 ("iron", STAGE, "UL", np.nan, 45.0, "mg", "total intake")]  # fmt: skip
    dri = dri_nutrient_rows({"iron": ("mg", 303, 18.0)})
    foods = {"a": {**FOODS["a"], "iron": 10.0}, "b": {**FOODS["b"], "iron": 30.0}}
    data = course(foods, dri_nutrients=dri, dri_references=dri_reference_rows(iron_rows))
    menu = plan_menu(data, life_stage=STAGE, objective="calories")
    # Magnesium wants 2 A (200 kcal, 20 mg iron) or 1 B (300 kcal, 30 mg): 2 A meets both.
    assert menu.items["portions"].to_dict() == {"a": 2.0}
    assert menu.totals.loc["iron", ["total", "target", "limit"]].tolist() == [20.0, 18.0, 45.0]
    low_ul = [iron_rows[0], ("iron", STAGE, "UL", np.nan, 15.0, "mg", "total intake")]
    tight = course(foods, dri_nutrients=dri, dri_references=dri_reference_rows(low_ul))
    with pytest.raises(NoMenuPossible):  # 18 mg needed, 15 mg allowed
        plan_menu(tight, life_stage=STAGE)


def pattern_course(course, foods, amounts, kcal=2000, **kwargs):
    energy = energy_rows(low=0, high=1_000_000).assign(pattern_kcal=kcal, pattern_basis="test")
    patterns = pattern_rows(kcal, amounts)
    return course(foods, energy=energy, patterns=patterns, **kwargs)


FRUIT = {"serving_g": 100, "energy": 50, "magnesium": 0, "sodium": 0, "group": "fruits",
         "subgroup": "whole_fruit", "unit": "cup_eq", "equivalents": 1.0}  # fmt: skip
FILLER = {"serving_g": 100, "energy": 900, "magnesium": 100, "sodium": 0, "max_portions": 3}


def test_a_food_group_minimum_binds_and_energy_follows_the_pattern(course):
    data = pattern_course(course, {"apple": FRUIT, "filler": FILLER},
                          {"fruits": (2.0, "cup_eq", "day")})  # fmt: skip
    menu = plan_menu(data, life_stage=STAGE)
    fruit = menu.items.at["apple", "grams"] / 100 * FRUIT["equivalents"]  # recomputed
    low = 2.0 * (1 - plan.PATTERN_SHORTFALL)
    assert fruit == menu.groups.at["fruits", "total"] >= low
    assert fruit < low + plan.PATTERN_STEP  # the smallest menu eats no more fruit than it must
    assert menu.groups.at["fruits", "binds"] == "target"
    band = (2000 * (1 - plan.ENERGY_SPREAD), 2000 * (1 + plan.ENERGY_SPREAD))
    assert menu.targets.energy == pytest.approx(band)
    assert band[0] - 1e-6 <= menu.kcal <= band[1] + 1e-6
    assert "Healthy U.S.-Style pattern at 2,000 kcal" in menu.claim()


def test_one_cap_for_all_beans_peas_and_lentils(course):
    # Beans are the leanest magnesium, but all of them share one cap: 1.5 cup-eq a week, so
    # at most 1.5 x 1.5 / 7 = 0.32 cup-eq a day (a quarter cup, 0.25, is the most on a menu).
    beans = {"serving_g": 100, "energy": 100, "magnesium": 100, "sodium": 0,
             "group": "vegetables", "subgroup": "beans_peas_lentils", "unit": "cup_eq",
             "equivalents": 1.0}  # fmt: skip
    foods = {"edamame": beans, "lima": {**beans}, "filler": FILLER}
    amounts = {"beans_peas_lentils": (1.5, "cup_eq", "week")}
    menu = plan_menu(pattern_course(course, foods, amounts), life_stage=STAGE)
    eaten = sum(menu.items["grams"].get(f, 0) / 100 for f in ("edamame", "lima"))
    cap = 1.5 / 7 * (1 + plan.PATTERN_EXCESS)
    assert eaten == pytest.approx(menu.groups.at["beans_peas_lentils", "total"])
    assert 1.5 / 7 * (1 - plan.PATTERN_SHORTFALL) <= eaten <= cap
    assert menu.groups.at["beans_peas_lentils", "high"] == pytest.approx(cap)


def test_whole_fat_dairy_is_left_out_and_half_the_fruit_is_whole(course):
    dairy = {"serving_g": 100, "energy": 60, "magnesium": 10, "sodium": 0, "group": "dairy",
             "unit": "cup_eq", "equivalents": 1.0}  # fmt: skip
    juice = {**FRUIT, "subgroup": "fruit_juice", "energy": 40}
    foods = {"whole_milk": {**dairy, "dairy_fat": "whole", "energy": 50},
             "skim_milk": {**dairy, "dairy_fat": "fat_free"}, "apple": FRUIT, "juice": juice,
             "filler": FILLER}  # fmt: skip
    amounts = {"dairy": (3.0, "cup_eq", "day"), "fruits": (2.0, "cup_eq", "day")}
    menu = plan_menu(
        pattern_course(course, foods, amounts), life_stage=STAGE, objective="calories"
    )
    assert "whole_milk" not in menu.items.index
    assert any("whole-fat dairy" in why for why in menu.excluded)
    whole = menu.items["grams"].get("apple", 0) / 100
    fruit = whole + menu.items["grams"].get("juice", 0) / 100
    assert whole >= fruit / 2  # juice is leaner, but at most half the fruit
    assert "juice" in menu.items.index


def test_an_infeasible_pregnancy_names_the_nutrient_and_how_far_it_reaches(course):
    # Iron at a pregnancy's 27 mg, from foods that hold at most 20 mg within the energy band.
    rows = [("iron", STAGE, "RDA", 27.0, np.nan, "mg", np.nan)]
    dri = dri_nutrient_rows({"iron": ("mg", 303, 18.0)})
    foods = {"a": {**FOODS["a"], "iron": 5.0, "max_portions": 4}}
    data = course(foods, dri_nutrients=dri, dri_references=dri_reference_rows(rows))
    with pytest.raises(NoMenuPossible, match="iron") as raised:
        plan_menu(data, life_stage=STAGE)
    assert raised.value.nutrients == ["iron"]
    assert raised.value.reach["iron"] == pytest.approx(20.0)
    assert "portion caps" in raised.value.limits


def test_the_real_menus_meet_the_pattern_and_every_tracked_dri():
    import cramplab

    data = cramplab.load()
    for stage in (None, "pregnancy_14_18", "child_4_8"):
        menu = plan_menu(data, life_stage=stage)
        assert len(menu.targets.minimum) == 25 and "sodium" not in menu.targets.minimum
        assert "Iodine" in menu.targets.not_tracked
        assert not menu.items["food_group"].eq("").any()
        assert "milk_whole" not in menu.items.index
        assert (menu.groups["total"] >= menu.groups["low"].fillna(0) - 1e-9).all()
        assert (menu.groups["total"] <= menu.groups["high"].fillna(np.inf) + 1e-9).all()


# --- menus solved once (plan._solved_halves) ---------------------------------------------------


def test_every_stored_menu_is_the_solvers_answer_for_todays_data(monkeypatch):
    """Each menu shipped in solved_menus.json is solved again from data/: the same problem
    (its fingerprint) and the same portions. A change to data/ under a stored menu fails here,
    until `make notebooks` solves and stores the menus again."""
    from cramplab import load

    monkeypatch.setenv(plan.SOLVED_MENUS_ENV, "off")
    stored = plan._stored_menus()
    assert stored, f"{plan.SOLVED_MENUS} holds no menus: run make notebooks"
    data = load()
    for key, entry in stored.items():
        call = entry["call"]
        _, _, problem, _ = plan._prepared(data, call)
        assert plan._fingerprint(problem, call["objective"]) == key, (
            f"the stored menu for {call} was solved on other data or rules: run make notebooks"
        )
        halves = plan._solve(problem, call["objective"])
        solved = None if halves is None else {
            str(f): int(h) for f, h in zip(problem.foods, halves, strict=True) if h
        }  # fmt: skip
        assert solved == entry["steps"], f"solving {call} again gives another menu"
        if solved is not None:
            assert plan._feasible(problem, np.asarray(halves, dtype=float))


def test_a_menu_is_read_back_only_for_the_very_same_problem(course, monkeypatch, tmp_path):
    record = tmp_path / "menus.jsonl"
    monkeypatch.setenv(plan.SOLVED_MENUS_ENV, str(record))
    data = course(FOODS)
    solved = plan_menu(data, life_stage=STAGE)
    entry = __import__("json").loads(record.read_text(encoding="utf-8"))
    monkeypatch.setenv(plan.SOLVED_MENUS_ENV, "")
    monkeypatch.setattr(plan, "_stored", {entry.pop("fingerprint"): entry})
    calls = []
    solve = plan._solve
    monkeypatch.setattr(plan, "_solve", lambda *a: calls.append(a) or solve(*a))
    again = plan_menu(data, life_stage=STAGE)
    assert calls == [] and again.items["portions"].equals(solved.items["portions"])
    plan_menu(data, life_stage=STAGE, limits={"sodium": 2000})  # another problem: solved
    assert len(calls) == 1
    changed = course({**FOODS, "a": {**FOODS["a"], "magnesium": 51}})
    plan_menu(changed, life_stage=STAGE)  # another number in the data: solved
    assert len(calls) == 2


def test_a_stored_menu_that_breaks_a_constraint_is_solved_instead(course, monkeypatch):
    data = course(FOODS)
    _, _, problem, _ = plan._prepared(
        data, plan._call(STAGE, "size", (), (), None, None, "guidelines")
    )
    bogus = {"call": {}, "steps": {"a": 1}}  # half a portion of A: 25 mg of 100 mg magnesium
    monkeypatch.setattr(plan, "_stored", {plan._fingerprint(problem, "size"): bogus})
    menu = plan_menu(data, life_stage=STAGE)
    assert menu.totals.at["magnesium", "total"] >= 100
