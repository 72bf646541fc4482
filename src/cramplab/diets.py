"""What a food is (dairy, egg, fish, meat, other animal product) and how much of it a day holds.

The curated foods carry these facts in data/food_attributes.csv and data/portion_caps.csv,
decided by hand from each food's SR28 description. For all of SR28 (cramplab.sr28.read_release)
this module derives the same columns by a documented rule, so the planner's diet patterns and
portion caps work on every food:

* Attributes: keywords over the SR28 long description (FOOD_DES.txt Long_Desc) and food group,
  in the order of ``attributes()`` below, with exceptions for the phrases that name a plant
  food (soymilk, peanut butter, eggplant, meatless chicken, oyster mushrooms ...). A food whose
  description names no animal ingredient but whose SR28 cholesterol is above 0 mg holds one
  anyway (only animal foods contain cholesterol): in SR28 these are mostly baked goods and
  sweets made with butter, milk or egg, so the rule marks it as dairy and egg ("may contain").
  Gelatin (and the sweets made with it) counts as meat: it comes from the skin and bones of
  slaughtered animals, so vegetarian patterns leave it out; honey counts as another animal
  product, which only the vegan pattern leaves out.
* FDA/EPA fish advice category: species names from the FDA/EPA "Advice about Eating Fish"
  chart (2017, revised 2021), for foods of the Finfish and Shellfish Products group. Fish in a
  mixed dish or a sauce gets no category (it is not a fish serving).
* Portion cap: at most two of the food's household measures (its serving), and no more than
  the grams data/portion_categories.csv allows for its SR28 food group.

Diet patterns are defined on the attributes: each pattern lists the attributes it leaves out.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

ATTRIBUTES = ("dairy", "egg", "fish_shellfish", "meat_poultry", "other_animal")
DIET_PATTERNS = {
    "vegetarian": ("meat_poultry", "fish_shellfish"),  # lacto-ovo: milk, eggs and honey stay
    "vegan": ATTRIBUTES,
    "no_dairy": ("dairy",),
    "no_fish": ("fish_shellfish",),
}
FISH_ADVICE = ("best_choice", "good_choice", "choice_to_avoid", "not_on_chart")
RULE_SERVINGS = 2.0  # SR28 portion rule: at most two household measures a day

MEAT_GROUPS = {
    "Poultry Products", "Sausages and Luncheon Meats", "Pork Products", "Beef Products",
    "Lamb, Veal, and Game Products",
}  # fmt: skip
FISH_GROUP = "Finfish and Shellfish Products"
DAIRY_GROUP = "Dairy and Egg Products"


def _rx(pattern: str) -> re.Pattern:
    # Descriptions are lower-cased once, so patterns need no IGNORECASE (three times faster).
    return re.compile(pattern)


# Meat analogues and vegetarian brands: a meat word in these names no meat.
NOT_MEAT = _rx(
    r"\b(?:loma linda|worthington|morningstar|gardenburger|boca)\b|\bmeatless\b|\bvegetarian\b"
    r"|\bveggie\b|\bvegan\b|\bmeat (?:substitute|analog)|\bsoyburger|\bchik.?n\b|\bmeat.?free\b"
    r"|\bsoy (?:protein|burger)|\btofu\b"
)
MEAT = _rx(
    r"\b(?:beef|pork|ham|hams|bacon|chicken|turkey|poultry|duck|goose|lamb|veal|mutton|venison"
    r"|bison|elk|moose|caribou|deer|rabbit|squirrel|beaver|opossum|raccoon|muskrat|horse|quail"
    r"|pheasant|squab|ostrich|emu|grouse|ptarmigan|seal|whale|walrus|sea lion|sausages?|salami"
    r"|pepperoni|bologna|frankfurters?|hot ?dogs?|wieners?|bratwurst|kielbasa|chorizo|pastrami"
    r"|corned|prosciutto|pancetta|liverwurst|braunschweiger|pemmican|jerky|franks?|steaks?"
    r"|chili con carne|chili with beans|meats?|meatballs?|meatloaf|hamburgers?|cheeseburgers?"
    r"|burgers?|lard|tallow|suet|drippings|giblets|chitterlings|tripe|gizzards?|oxtail"
    r"|cracklings|pork skins|liver|broth|bouillon|consomme|gravy|stock)\b"
)
STOCK_WORDS = {"broth", "bouillon", "consomme", "gravy", "stock"}
VEGETABLE_STOCK = _rx(
    r"\b(?:vegetable|vegetarian|mushroom|onion|tomato|fish|clam|seafood|oyster)\b.{0,30}"
    r"\b(?:broth|bouillon|stock|gravy)\b|\b(?:broth|bouillon|stock|gravy)\b.{0,30}"
    r"\b(?:vegetable|mushroom)\b"
)
GOAT_MEAT = _rx(r"^\s*goat\b")  # goat milk and goat cheese are dairy
NOT_MEAT_PHRASE = _rx(
    r"\bsteak sauce|\b(?:coconut|grated|nut) meat\b|poultry seasoning"
    r"|\bfor (?:pork|chicken|beef|fish|meat)\b|^\s*egg,|relish, (?:hot ?dog|hamburger)"
    r"|^\s*rolls?, (?:hamburger|hot ?dog)|\bcod liver\b|\bbeefsteak\b"
)
BUN = _rx(r"\b(?:hamburger|hot ?dog|frankfurter) (?:bun|roll)s?\b|\bburgers? (?:bun|roll)")
WITH_MEAT = _rx(r"\b(?:with|and) (?:beef|chicken|pork|meat)")
FISH = _rx(
    r"\b(?:fish|fishes|shellfish|salmon|tuna|cod|herring|sardines?|mackerel|trout|halibut|haddock"
    r"|pollock|flounder|sole|tilapia|catfish|bass|perch|pike|snapper|grouper|whiting|smelt|eel"
    r"|carp|mullet|shad|sturgeon|whitefish|roughy|shark|swordfish|ling|cusk|croaker|butterfish"
    r"|pompano|porgy|rockfish|sablefish|scup|sheepshead|tilefish|wolffish|yellowtail|mahimahi"
    r"|dolphinfish|milkfish|anchov(?:y|ies)|caviar|roe|squid|calamari|octopus|cuttlefish|clams?"
    r"|oysters?|scallops?|shrimps?|prawns?|lobsters?|crabs?|crayfish|crawfish|mussels?|abalone"
    r"|conch|whelk|snail|escargot|surimi|jellyfish|sea cucumber|sea urchin|frog|turtle|cisco"
    r"|burbot|inconnu|sheefish|grayling|lingcod|blackfish|worcestershire|fish sauce"
    r"|oyster sauce|cod liver)\b"
)
NOT_FISH = _rx(
    r"\boyster (?:blade|crackers?)|crackers?, saltines \(includes oyster|soup & oyster crackers"
    r"|\(vegetable oyster\)|squash, summer, scallop|\bblack turtle\b|\bturtle beans?"
    r"|fish-shaped|\boyster mushrooms?\b|\bmushrooms?, oyster|\bcrab ?apples?|\bcrabapples?"
    r"|\bscalloped\b"
)
DAIRY = _rx(
    r"\b(?:milk|milks|buttermilk|cream|creams|creamer|cheese|cheeses|cheesecake|butter|yogurt"
    r"|yoghurt|whey|casein|caseinate|ghee|kefir|lactose|ice cream|custard|pudding|eggnog|latte"
    r"|cappuccino|alfredo|au gratin|scalloped|white sauce|bechamel|quiche|milkshake|milk shake"
    r"|malted|fudge|caramels?|toffee|butterscotch|mozzarella|cheddar|parmesan|ricotta|feta|brie"
    r"|gouda|provolone|romano|neufchatel|queso|paneer|half and half|sour cream|frozen yogurt)\b"
)
NOT_DAIRY_PHRASE = _rx(
    r"\b(?:coconut|almond|soy|rice|oat|cashew|hemp|nut|grain)\s*milk\b|\bsoymilk\b"
    r"|\bmilk substitute|\bnon-?dairy\b|\bdairy[- ]free\b|\bpeanut butter"
    r"|\b(?:almond|cashew|sesame|apple|cocoa|shea|nut|seed|soy|sunflower|fruit|pumpkin|apricot"
    r"|pear|plum|peach)\s*butter|\bbutter ?beans?\b|\bbutternut|\bbutterhead|\bbutterbur"
    r"|\bbutterfish|\bcream of (?:tartar|wheat|rice)|\bcream[- ]style\b|\bcream soda|\bcreamy\b"
    r"|\bmilkfish|\bmilkweed|\bsoy (?:cheese|yogurt)|\btofu yogurt"
    r"|\b(?:alaskan|eskimo) ice cream|\bcoconut cream|\bice cream (?:cones?|bars?, wafer)"
    r"|\bbutter,? lettuce|\bmilk thistle|\bcustard[- ]apple"
    r"|\b(?:pudding|custard)s?,[^,]*dry mix(?!.*milk)"
)
WITHOUT_DAIRY = _rx(r"\b(?:without|no|w/o) (?:milk|cheese|butter|cream)\b")
FORMULA = _rx(r"\binfant formula|\btoddler formula|\bchild formula|\bformula, ")
FORMULA_NOT_MILK = _rx(r"\bsoy\b|isomil|prosobee|amino acid|elecare|neocate|puramino")
DAIRY_GROUP_SUBSTITUTE = _rx(r"substitute|imitation|non-?dairy")
PLANT_BASE = _rx(r"(?<!non-)\bsoy\b|\bsoymilk\b|\btofu\b")
EGG = _rx(
    r"\b(?:eggs?|egg yolks?|egg whites?|eggnog|mayonnaise|meringues?|quiche|custard|souffle"
    r"|omelets?|omelettes?|french toast|hollandaise|egg noodles?|noodles, egg|challah|eclairs?"
    r"|cream puffs?|popovers?|sponge cake|angel ?food)\b"
)
NOT_EGG = _rx(r"\bcustard[- ]apple|\beggplant|\begg-?free\b|\bwithout egg|\beggless|\bno egg")
FRESH_PASTA = _rx(r"\bpasta, (?:fresh-refrigerated|homemade, made with egg)")
EGG_ITEM = _rx(r"^\s*egg(?!nog)")
OTHER_ANIMAL = _rx(r"\b(?:honey|royal jelly|beeswax|carmine|cochineal|bee pollen)\b")
# Gelatin comes from the skin and bones of slaughtered animals: vegetarians leave it out too.
GELATIN = _rx(r"\b(?:gelatin|gelatine|gelatins|marshmallows?|jell-?o|collagen|bone broth)\b")
NOT_OTHER = _rx(r"\bhoneydew\b|\bhoney ?locust|\bhoneysuckle")

RARE_WORDS = re.compile(
    "|".join(p.pattern for p in (GELATIN, FORMULA, EGG, FRESH_PASTA, OTHER_ANIMAL))
)

# FDA/EPA "Advice about Eating Fish" chart (2017; revised 2021), by the names SR28 uses.
FISH_CHART = {
    "choice_to_avoid": _rx(
        r"\bmackerel, king\b|\bking mackerel\b|\bmarlin\b|\borange roughy\b|\bshark\b"
        r"|\bswordfish\b|\btilefish\b.*gulf|\btuna, bigeye\b"
    ),
    "good_choice": _rx(
        r"\bbluefish\b|\bbuffalofish\b|\bcarp\b|\bsea bass, chilean|\btoothfish\b|\bgrouper\b"
        r"|\bhalibut\b|\bmahimahi\b|\bdolphinfish\b|\bmonkfish\b|\brockfish\b|\bsablefish\b"
        r"|\bsheepshead\b|\bsnapper\b|\bmackerel, spanish\b|\bstriped bass\b|\btilefish\b"
        r"|\btuna\b.*\b(?:albacore|white|yellowfin)\b|\bweakfish\b|\bseatrout\b"
        r"|\bcroaker, white\b"
    ),
    "best_choice": _rx(
        r"\banchov(?:y|ies)\b|\bcroaker\b|\bmackerel, (?:atlantic|pacific|jack)\b"
        r"|\bsea bass\b|\bbass\b|\bbutterfish\b|\bcatfish\b|\bclams?\b|\bcod\b|\bcrab\b"
        r"|\bcrayfish\b|\bcrawfish\b|\bflatfish\b|\bflounder\b|\bhaddock\b|\bhake\b|\bherring\b"
        r"|\blobster\b|\bmullet\b|\boysters?\b|\bperch\b|\bpickerel\b|\bplaice\b|\bpollock\b"
        r"|\bsalmon\b|\bsardines?\b|\bscallops?\b|\bshad\b|\bshrimp\b|\bskate\b|\bsmelt\b"
        r"|\bsole\b|\bsquid\b|\bcalamari\b|\btilapia\b|\btrout\b|\btuna, light\b"
        r"|\btuna\b.*\bskipjack\b|\bwhitefish\b|\bwhiting\b"
    ),
}


def _first(text: np.ndarray, pattern: re.Pattern, where: np.ndarray | None = None) -> np.ndarray:
    """The first match of pattern in each (lower-case) text; None where none.

    where: search only these rows (the others count as no match), to save time on SR28.
    """
    search = pattern.search
    found = np.full(len(text), None, dtype=object)
    rows = range(len(text)) if where is None else np.flatnonzero(where)
    for row in rows:
        match = search(text[row])
        if match:
            found[row] = match.group(0)
    return found


def _has(text: np.ndarray, pattern: re.Pattern, where: np.ndarray | None = None) -> np.ndarray:
    return _first(text, pattern, where) != None  # noqa: E711 (elementwise on an object array)


def _words(prefix: str, words: np.ndarray, suffix: str = "'") -> np.ndarray:
    return np.array([f"{prefix}{w}{suffix}" for w in words], dtype=object)


def attributes(
    description: pd.Series, food_group: pd.Series, cholesterol: pd.Series | None = None
) -> pd.DataFrame:
    """The documented rule: attributes, fish advice and the reason, for each description.

    description: SR28 Long_Desc; food_group: SR28 FdGrp_Desc (missing for a food that
    FOOD_DES.txt lacks); cholesterol: mg per 100 g (missing allowed). Same index as given.

    >>> description = pd.Series(["Soymilk, original and vanilla, unfortified",
    ...                          "Cheese, cheddar", "Cookies, sugar, commercially prepared"])
    >>> group = pd.Series(["Legumes and Legume Products", "Dairy and Egg Products",
    ...                    "Baked Products"])
    >>> table = attributes(description, group, cholesterol=pd.Series([0, 99, 27]))
    >>> table["dairy"].tolist()  # soymilk is no milk; the cookies' cholesterol says butter or egg
    [False, True, True]
    >>> table.loc[2, "reason"]
    'no animal ingredient named, but SR28 cholesterol > 0: may contain milk or egg'
    """
    text = np.array([str(d).lower() for d in description.fillna("")], dtype=object)
    group = food_group.fillna("").astype(str).to_numpy()
    reasons = [[] for _ in range(len(text))]

    def note(mask: np.ndarray, why) -> None:
        for position in np.flatnonzero(mask):
            reasons[position].append(why if isinstance(why, str) else why[position])

    # 1. Meat and poultry: the meat groups, else a meat word not in a plant or bread phrase.
    in_meat_group = np.isin(group, list(MEAT_GROUPS))
    # One pass finds the rows that name any of the rarer words, so that the searches for
    # each of them can skip the rest (it keeps all of SR28 quick to read).
    rare = _has(text, RARE_WORDS)
    word = _first(text, MEAT, where=~in_meat_group)
    goat = _has(text, GOAT_MEAT)
    word[(word == None) & goat] = "goat"  # noqa: E711
    named = (word != None) & ~in_meat_group  # noqa: E711
    analogue = _has(text, NOT_MEAT, where=in_meat_group | named)
    stockish = np.isin(word, list(STOCK_WORDS))
    stock = stockish & _has(text, VEGETABLE_STOCK, where=stockish)
    bun = _has(text, BUN, where=named) & ~_has(text, WITH_MEAT, where=named)
    phrase = _has(text, NOT_MEAT_PHRASE, where=named)
    meat = (in_meat_group & ~analogue) | (named & ~analogue & ~phrase & ~bun & ~stock)
    note(in_meat_group & ~analogue, "SR28 meat or poultry group")
    note(named & meat, _words("meat word '", word))
    gelatin_word = _first(text, GELATIN, where=rare)
    gelatin = (gelatin_word != None) & ~meat  # noqa: E711
    meat |= gelatin
    note(gelatin, _words("'", gelatin_word, "' (gelatin, from animal skin and bone)"))

    # 2. Fish and shellfish: the fish group, else a fish word outside the meat groups.
    in_fish_group = group == FISH_GROUP
    fish_word = _first(text, FISH, where=~in_fish_group & ~in_meat_group)
    has_fish_word = fish_word != None  # noqa: E711
    fish = in_fish_group | (has_fish_word & ~_has(text, NOT_FISH, where=has_fish_word))
    note(in_fish_group, "SR28 finfish and shellfish group")
    note(fish & ~in_fish_group, _words("fish word '", fish_word))

    # 3. Dairy: the dairy group (not eggs, not substitutes made from soy), else a dairy word
    # left once the plant phrases (soymilk, peanut butter ...) are taken out.
    in_dairy_group = group == DAIRY_GROUP
    egg_item = _has(text, EGG_ITEM, where=in_dairy_group)
    # A substitute counts as dairy unless it names a plant base (soy): creamers and imitation
    # milks often hold caseinate, a milk protein their SR28 names do not mention.
    substitute = _has(text, DAIRY_GROUP_SUBSTITUTE, where=in_dairy_group) & _has(
        text, PLANT_BASE, where=in_dairy_group
    )
    formula = _has(text, FORMULA, where=rare)
    formula &= ~_has(text, FORMULA_NOT_MILK, where=formula)
    maybe = _has(text, DAIRY, where=~in_dairy_group)
    stripped = text.copy()
    for row in np.flatnonzero(maybe):
        stripped[row] = NOT_DAIRY_PHRASE.sub(" ", text[row])
    dairy_word = _first(stripped, DAIRY, where=maybe)
    has_dairy_word = dairy_word != None  # noqa: E711
    negated = _has(text, WITHOUT_DAIRY, where=has_dairy_word)
    dairy_elsewhere = ~in_dairy_group & (formula | (has_dairy_word & ~negated))
    dairy = (in_dairy_group & ~egg_item & ~substitute) | dairy_elsewhere
    note(in_dairy_group & ~egg_item & ~substitute, "SR28 dairy and egg group")
    note(in_dairy_group & substitute, "dairy-group substitute made from soy")
    note(~in_dairy_group & formula, "milk-based formula")
    note(dairy_elsewhere & ~formula, _words("dairy word '", dairy_word))

    # 4. Egg: egg items of the dairy and egg group, else an egg word.
    egg_word = _first(text, EGG, where=rare)
    has_egg_word = egg_word != None  # noqa: E711
    egg_elsewhere = (has_egg_word & ~_has(text, NOT_EGG, where=has_egg_word)) | _has(
        text, FRESH_PASTA, where=rare
    )
    egg = egg_item | egg_elsewhere
    note(egg_item, "egg item of the dairy and egg group")
    egg_word[~has_egg_word] = "pasta"
    note(~egg_item & egg_elsewhere, _words("egg word '", egg_word))

    # 5. Other animal products (honey ...): only the vegan pattern leaves them out.
    other_word = _first(text, OTHER_ANIMAL, where=rare)
    has_other_word = other_word != None  # noqa: E711
    other = has_other_word & ~_has(text, NOT_OTHER, where=has_other_word)
    note(other, _words("animal product '", other_word))

    # 6. Cholesterol shows an animal ingredient the description does not name.
    if cholesterol is not None:
        named_any = meat | fish | dairy | egg | other
        hidden = ~named_any & (pd.to_numeric(cholesterol, errors="coerce") > 0).to_numpy()
        dairy |= hidden
        egg |= hidden
        note(
            hidden, "no animal ingredient named, but SR28 cholesterol > 0: may contain milk or egg"
        )

    return pd.DataFrame(
        {
            "dairy": dairy,
            "egg": egg,
            "fish_shellfish": fish,
            "meat_poultry": meat,
            "other_animal": other,
            "fish_advice": fish_advice(text, in_fish_group),
            "decided_by": "rule",
            "reason": ["; ".join(r) if r else "no animal ingredient named" for r in reasons],
        },
        index=description.index,
    )


def fish_advice(description, is_fish_serving) -> np.ndarray:
    """FDA/EPA chart category for fish servings (avoid, then good, then best; else not on it).

    description: lower-case descriptions; is_fish_serving: true/false per description.

    >>> fish_advice(["fish, shark, raw", "fish, salmon, sockeye, raw", "fish, eel, raw"],
    ...             [True, True, True]).tolist()
    ['choice_to_avoid', 'best_choice', 'not_on_chart']
    """
    text = np.asarray(description, dtype=object)
    open_rows = np.asarray(is_fish_serving, dtype=bool).copy()
    category = np.full(len(text), None, dtype=object)
    for name in ("choice_to_avoid", "good_choice", "best_choice"):
        found = _has(text, FISH_CHART[name], where=open_rows)
        category[found] = name
        open_rows &= ~found
    category[open_rows] = "not_on_chart"
    return category


def excluded_by(attributes_table: pd.DataFrame, patterns) -> pd.Series:
    """True for each food (row) that one of the diet patterns leaves out.

    >>> from cramplab import load
    >>> table = load().food_attributes.set_index("food_id")
    >>> excluded_by(table, ["vegan"])[["banana", "almonds", "milk_lowfat"]].tolist()
    [False, False, True]
    >>> excluded_by(table, ["vegetarian"])[["milk_lowfat", "salmon_sockeye"]].tolist()
    [False, True]
    """
    mask = pd.Series(False, index=attributes_table.index)
    for pattern in patterns:
        if pattern not in DIET_PATTERNS:
            raise ValueError(f"unknown diet pattern {pattern!r}; known: {sorted(DIET_PATTERNS)}")
        for attribute in DIET_PATTERNS[pattern]:
            mask |= attributes_table[attribute].astype(bool)
    return mask


def animal(attributes_table: pd.DataFrame) -> pd.Series:
    """Any animal product: the OR of the five attributes.

    >>> from cramplab import load
    >>> table = load().food_attributes.set_index("food_id")
    >>> animal(table)[["banana", "egg_hard_boiled"]].tolist()
    [False, True]
    """
    return attributes_table[list(ATTRIBUTES)].any(axis=1)


def rule_portions(foods: pd.DataFrame, portion_categories: pd.DataFrame) -> pd.DataFrame:
    """Portion caps for foods without a curated cap: two household measures, within the
    grams portion_categories.csv allows for the food's SR28 group (empty group: 100 g).

    >>> from cramplab import load
    >>> foods = pd.DataFrame({"food_id": ["ndb_09040", "ndb_01009"],
    ...                       "food_group": ["Fruits and Fruit Juices", "Dairy and Egg Products"],
    ...                       "serving_g": [118.0, 132.0],
    ...                       "serving_desc": ["1 medium", "1 cup, diced"]})
    >>> caps = rule_portions(foods, load().portion_categories)
    >>> caps[["category", "max_portions"]].round(2)  # two bananas; cheese stops at 250 g
      category  max_portions
    0    fruit          2.00
    1   cheese          1.89
    """
    by_group = {}
    for row in portion_categories.itertuples():
        for group in _split(row.sr28_groups):
            by_group[group] = (row.category, float(row.max_g))
    groups = foods["food_group"]
    category = groups.map({g: c for g, (c, _) in by_group.items()}).fillna("other")
    group_max = groups.map({g: m for g, (_, m) in by_group.items()}).fillna(100.0).to_numpy(float)
    serving = foods["serving_g"].to_numpy(float)
    return pd.DataFrame(
        {
            "food_id": foods["food_id"].to_numpy(),
            "category": category.to_numpy(),
            "portion": foods["serving_desc"].to_numpy(),
            "portion_g": serving,
            "max_portions": np.minimum(RULE_SERVINGS, group_max / serving),
        }
    )


def _split(value) -> list[str]:
    if not isinstance(value, str):
        return []
    return [item.strip() for item in value.split(";") if item.strip()]


def release_tables(release, foods: pd.DataFrame, base) -> dict[str, pd.DataFrame]:
    """food_attributes and portion_caps for every SR28 food, by the rules above.

    foods: read_release's foods table (SR28 description and group, in ABBREV.txt's order).

    A stand-in for a Release (only its ABBREV.txt cholesterol column is read) and two foods:

    >>> from types import SimpleNamespace
    >>> from cramplab import load
    >>> release = SimpleNamespace(abbrev=pd.DataFrame({"Cholestrl_(mg)": ["0", "99"]}))
    >>> foods = pd.DataFrame({"food_id": ["ndb_09040", "ndb_01009"],
    ...                       "usda_description": ["Bananas, raw", "Cheese, cheddar"],
    ...                       "food_group": ["Fruits and Fruit Juices", "Dairy and Egg Products"],
    ...                       "serving_g": [118.0, 132.0],
    ...                       "serving_desc": ["1 medium", "1 cup, diced"]})
    >>> tables = release_tables(release, foods, load())
    >>> tables["food_attributes"][["food_id", "dairy", "reason"]]
         food_id  dairy                      reason
    0  ndb_09040  False  no animal ingredient named
    1  ndb_01009   True    SR28 dairy and egg group
    """
    cholesterol = release.abbrev["Cholestrl_(mg)"].replace("", np.nan)
    table = attributes(foods["usda_description"], foods["food_group"], cholesterol)
    table.insert(0, "food_id", foods["food_id"].to_numpy())
    table["note"] = np.nan
    for column in ("food_id", "decided_by", "reason", "fish_advice", "note"):
        table[column] = table[column].astype("str").where(table[column].notna())
    return {
        "food_attributes": table,
        "portion_caps": rule_portions(foods, base.portion_categories),
    }
