"""Diet patterns by what a food is: the curated attributes, the SR28 rule, and a keyword check.

The keyword check is written independently of cramplab.diets: a short list of words that
name an animal food, with the few phrases that do not (soymilk, peanut butter, meatless
chicken ...). No food whose description names one may survive a pattern that excludes it,
in the curated package or in all of SR28.
"""

import pandas as pd
import pytest

from cramplab import diets
from cramplab.data import load
from cramplab.paths import sr28_dir
from cramplab.plan import excluded_foods

SR28 = sr28_dir()
needs_sr28 = pytest.mark.skipif(
    not (SR28 / "ABBREV.txt").exists(),
    reason=f"the USDA SR28 release is not at {SR28} (set CRAMPLAB_SR28 to its directory)",
)

MEAT_WORDS = r"chicken|beef|ham|pork|turkey|bacon|lamb|veal|sausages?|liver|lard|gelatin"
FISH_WORDS = r"fish|salmon|tuna|cod|shrimp|crab|clams?|oysters?|anchov(?:y|ies)|sardines?"
DAIRY_WORDS = r"milk|cheese|whey|butter|cream|yogurt|casein|caseinate"
EGG_WORDS = r"eggs?|mayonnaise"
# Meat analogues: their meat words name no meat.
ANALOGUE = (
    r"meatless|vegetarian|veggie|vegan|chik.?n|meat substitute|loma linda|worthington"
    r"|morningstar|gardenburger|boca"
)
# Phrases that name a plant food (or no food of that kind) although they hold one of the words.
PLANT_PHRASES = (
    r"(?:soy|coconut|almond|rice|oat|cashew|hemp|nut|grain)\s*milk"
    r"|soymilk|milk substitute|non-?dairy|dairy[- ]free|(?:peanut|almond|cashew|sesame|apple"
    r"|cocoa|shea|nut|seed|soy|sunflower|fruit|pumpkin|apricot|pear|plum|peach)\s*butter"
    r"|butter ?beans?|butternut|butterhead|butterbur|butterfish|cream of (?:tartar|wheat|rice)"
    r"|cream[- ]style|cream soda|creamy|milkfish|milkweed|milk thistle|coconut cream"
    r"|(?:alaskan|eskimo) ice cream|custard[- ]apple|soy (?:cheese|yogurt)|tofu yogurt"
    r"|oyster mushrooms?|mushrooms?, oyster|oyster crackers?|\(vegetable oyster\)|fish-shaped"
    r"|(?:hamburger|hot ?dog|frankfurter) (?:bun|roll)s?|rolls?, (?:hamburger|hot ?dog)"
    r"|crab ?apples?|crabapples?|eggplant|egg-?free|eggless|without (?:egg|milk|cheese|butter|cream)"
    r"|(?:vegetable|mushroom|onion|tomato) (?:broth|stock)|broth, vegetable|stock, vegetable"
    r"|puddings?,[^,]*dry mix|ice cream cones?|no (?:cheese|milk|butter|cream)"
    r"|(?:cream|milk) substitute.*\bsoy\b|saltines \(includes oyster|oyster blade"
    r"|(?:emu|ostrich), oyster|for (?:pork|chicken|beef|fish|meat)\b|^egg, \w+"
)
EXCLUDED_BY = {
    "vegetarian": [MEAT_WORDS, FISH_WORDS],
    "no_fish": [FISH_WORDS],
    "no_dairy": [DAIRY_WORDS],
    "vegan": [MEAT_WORDS, FISH_WORDS, DAIRY_WORDS, EGG_WORDS, r"honey"],
}


def naming(descriptions: pd.Series, words: str) -> pd.Series:
    """True where a description names one of the words outside a plant phrase (and, for meat
    and fish, outside the name of a meat analogue)."""
    lower = descriptions.str.lower()
    cleaned = lower.str.replace(PLANT_PHRASES, " ", regex=True)
    found = cleaned.str.contains(rf"\b(?:{words})\b", regex=True)
    if words in (MEAT_WORDS, FISH_WORDS):
        found &= ~lower.str.contains(ANALOGUE, regex=True)
    return found


def survivors(foods: pd.DataFrame, excluded: pd.Index, pattern: str) -> list[str]:
    kept = foods[~foods["food_id"].isin(excluded)]
    named = pd.Series(False, index=kept.index)
    for words in EXCLUDED_BY[pattern]:
        named |= naming(kept["usda_description"], words)
    return [f"{f}: {d}" for f, d in zip(kept.loc[named, "food_id"], kept.loc[named, "usda_description"], strict=True)]  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return load()


@pytest.mark.parametrize("pattern", sorted(EXCLUDED_BY))
def test_no_curated_food_naming_an_excluded_kind_survives(data, pattern):
    excluded = excluded_foods(data, patterns=(pattern,))
    assert survivors(data.foods, excluded, pattern) == []


def test_the_foods_the_issue_names_are_excluded(data):
    vegan = set(excluded_foods(data, patterns=("vegan",)))
    vegetarian = set(excluded_foods(data, patterns=("vegetarian",)))
    no_dairy = set(excluded_foods(data, patterns=("no_dairy",)))
    assert {"chocolate_drink_fortified", "dark_chocolate", "honey"} <= vegan
    assert {"soup_lentil_ham", "soup_chicken_noodle", "turkey_pot_pie", "cod_liver_oil"} <= (
        vegetarian
    )
    assert {"turkey_pot_pie", "chocolate_drink_fortified", "milkshake_chocolate"} <= no_dairy
    assert "cod_liver_oil" in excluded_foods(data, patterns=("no_fish",))
    assert not vegan & {"soy_milk_fortified", "almond_milk_fortified", "peanut_butter", "tofu_firm_calcium"}  # fmt: skip


def test_the_curated_table_says_how_each_food_was_decided(data):
    table = data.food_attributes.set_index("food_id")
    foods = data.foods.set_index("food_id").loc[table.index]
    rule = diets.attributes(foods["usda_description"], foods["food_group"])
    by_rule = table["decided_by"] == "rule"
    columns = list(diets.ATTRIBUTES)
    disagree = (rule.loc[by_rule, columns] != table.loc[by_rule, columns]).any(axis=1)
    assert not disagree.any(), f"decided_by = rule, but the rule says otherwise: {list(disagree[disagree].index)}"  # fmt: skip
    fish = table["fish_shellfish"] & foods["food_group"].eq(diets.FISH_GROUP)
    assert (table.loc[fish, "fish_advice"] == rule.loc[fish, "fish_advice"]).all()
    manual = table[~by_rule]
    assert manual["reason"].str.startswith("manual:").all()
    assert 0 < len(manual) <= 10  # the rule decides nearly every food by itself


def test_the_rule_reads_the_tricky_descriptions():
    cases = {
        "Beverages, coconut milk, sweetened, fortified with calcium, vitamins A, B12, D2": "",
        "Soymilk, original and vanilla, with added calcium, vitamins A and D": "",
        "Peanut butter, smooth style, with salt": "",
        "Eggplant, raw": "",
        "Chicken, meatless": "",
        "Soup, cream of mushroom, canned, condensed": "dairy",
        "Soup, chicken broth, canned, condensed": "meat_poultry",
        "Fish oil, cod liver": "fish_shellfish",
        "Sauce, worcestershire": "fish_shellfish",
        "Noodles, egg, enriched, cooked": "egg",
        "Honey": "other_animal",
        "Gelatin desserts, dry mix": "meat_poultry",
        "Beverages, chocolate drink, milk and soy based, ready to drink, fortified": "dairy",
        "Rolls, hamburger or hotdog, plain": "",
    }
    descriptions = pd.Series(list(cases))
    table = diets.attributes(descriptions, pd.Series("", index=descriptions.index))
    for position, (description, expected) in enumerate(cases.items()):
        found = [a for a in diets.ATTRIBUTES if table.iloc[position][a]]
        assert found == ([expected] if expected else []), (description, found)


def test_cholesterol_shows_an_animal_ingredient_the_description_does_not_name():
    table = diets.attributes(
        pd.Series(["Cake, yellow, with chocolate frosting", "Apples, raw"]),
        pd.Series(["Baked Products", "Fruits and Fruit Juices"]),
        pd.Series([35.0, 0.0]),
    )
    assert table.iloc[0][["dairy", "egg"]].all() and "cholesterol" in table.iloc[0]["reason"]
    assert not diets.animal(table).iloc[1]


def test_fish_advice_follows_the_chart():
    descriptions = pd.Series(
        ["Fish, swordfish, cooked", "Fish, tuna, light, canned in water", "Fish, halibut, cooked",
         "Mollusks, octopus, cooked", "Fish, salmon, sockeye, cooked"]
    )  # fmt: skip
    advice = diets.fish_advice(descriptions.str.lower(), pd.Series(True, index=descriptions.index))
    assert advice.tolist() == [
        "choice_to_avoid", "best_choice", "good_choice", "not_on_chart", "best_choice"
    ]  # fmt: skip


@needs_sr28
@pytest.mark.parametrize("pattern", sorted(EXCLUDED_BY))
def test_no_sr28_food_naming_an_excluded_kind_survives(sr28, pattern):
    excluded = excluded_foods(sr28, patterns=(pattern,))
    left = survivors(sr28.foods, excluded, pattern)
    assert left == [], f"{len(left)} foods survive {pattern}: {left[:20]}"


@needs_sr28
def test_every_sr28_food_has_attributes_and_a_cap(sr28):
    assert len(sr28.food_attributes) == len(sr28.foods) == len(sr28.portion_caps)
    assert (sr28.food_attributes["decided_by"] == "rule").all()
    caps = sr28.portion_caps.set_index("food_id")
    spices = sr28.foods.set_index("food_id")["food_group"] == "Spices and Herbs"
    grams = caps["portion_g"] * caps["max_portions"]
    assert (grams[spices] <= 2 + 1e-9).all()  # a pinch, not a bowl


@pytest.fixture(scope="module")
def sr28():
    from cramplab.sr28 import read_release

    return read_release(SR28)
