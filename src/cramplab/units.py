"""Unit conversions and the arithmetic of labels: per serving, per 100 kcal, percent of DV.

Each function works on numbers, NumPy arrays or pandas objects alike, and missing stays
missing: NaN in, NaN out (a food with no analysed value is not a food with none).
"""

from __future__ import annotations

import re

import numpy as np

IU_PER_UG_VITAMIN_D = 40.0  # 1 µg vitamin D = 40 IU (facts.md §3; NIH ODS)
MG_PER_MMOL = {"sodium": 23.0, "potassium": 39.1}  # molar masses, rounded as in facts.md §3


def vitamin_d_ug_to_iu(ug):
    """Vitamin D in IU from µg (1 µg = 40 IU).

    >>> vitamin_d_ug_to_iu(15)  # the adult RDA
    600.0
    """
    return ug * IU_PER_UG_VITAMIN_D


def vitamin_d_iu_to_ug(iu):
    """Vitamin D in µg from IU (40 IU = 1 µg).

    >>> vitamin_d_iu_to_ug(800)
    20.0
    """
    return iu / IU_PER_UG_VITAMIN_D


def mg_to_mmol(mg, nutrient_id: str):
    """Sodium or potassium in mmol from mg (molar masses 23.0 and 39.1 g/mol).

    >>> mg_to_mmol(2300, "sodium")
    100.0
    """
    return mg / MG_PER_MMOL[nutrient_id]


def per_serving(amount_per_100g, serving_g):
    """Amount in one serving, from the amount per 100 g edible portion.

    >>> per_serving(79, 30)  # 79 mg per 100 g, a 30 g serving
    23.7
    """
    return amount_per_100g * serving_g / 100.0


def per_100_kcal(amount_per_100g, kcal_per_100g):
    """Amount per 100 kcal of the food; foods with no energy (water, salt) give NaN.

    >>> round(float(per_100_kcal(358.0, 89.0)), 1)  # a banana's potassium
    402.2
    >>> float(per_100_kcal(2.0, 0.0))  # water: no energy, so no answer
    nan
    """
    kcal = np.where(np.asarray(kcal_per_100g, dtype=float) > 0, kcal_per_100g, np.nan)
    return amount_per_100g / kcal * 100.0


def percent_of(amount, reference):
    """amount as a percentage of a reference amount (a Daily Value, an RDA, an AI).

    >>> percent_of(105, 420)  # 105 mg of magnesium against a 420 mg Daily Value
    25.0
    """
    return amount / reference * 100.0


# US customary volumes in mL (NIST). SR28's household measures are US customary; the reference
# amounts' household measures (1 tbsp, 1 cup) are converted the same way, so a reference amount
# of "1 tbsp" weighs what SR28's tablespoon of the food weighs.
ML_PER_UNIT = {
    "mL": 1.0,
    "cup": 236.5882365,
    "tbsp": 14.78676478125,
    "tsp": 4.92892159375,
    "fl oz": 29.5735295625,
}
_MEASURE = re.compile(
    r"^(?:serving\s+)?(?:(?P<count>\d+(?:\.\d+)?)\s*)?(?P<unit>cup|tbsp|tablespoon|tsp|teaspoon|fl oz)\b"
)
_SPELLED = {"tablespoon": "tbsp", "teaspoon": "tsp"}


def volume_ml(amount, unit: str):
    """A volume in mL from an amount in mL, cup, tbsp, tsp or fl oz (US customary).

    >>> round(volume_ml(2, "tbsp"), 2)
    29.57
    """
    return amount * ML_PER_UNIT[unit]


def measure_volume_ml(amount: float, description: str) -> float | None:
    """The volume of an SR28 household measure (WEIGHT.txt Amount and Msre_Desc), or None.

    measure_volume_ml(1, "cup, chopped") is one cup; (1, "serving 8 fl oz") is 8 fl oz;
    (3, "oz") and (1, "medium") are not volumes, so None.

    >>> round(measure_volume_ml(1, "serving 8 fl oz"), 1)
    236.6
    >>> measure_volume_ml(1, "medium") is None
    True
    """
    match = _MEASURE.match(description.strip())
    if match is None:
        return None
    unit = _SPELLED.get(match["unit"], match["unit"])
    count = float(match["count"]) if match["count"] else 1.0
    return float(amount) * count * ML_PER_UNIT[unit]


def grams_of_volume(volume, measure_g, measure_ml):
    """Grams in a volume of a food, from the grams and the volume of one household measure.

    >>> grams_of_volume(120, 244, 240)  # 120 mL of a milk whose 1-cup (240 mL) measure is 244 g
    122.0
    """
    return volume * measure_g / measure_ml


def label_percent_dv(percent, nutrient_id: str | None = None):
    """%DV as a US Nutrition Facts label prints it (21 CFR 101.9(c)(8)(iii) and (d)(7)(ii)).

    Vitamins and minerals: the nearest 2% up to and including 10%, the nearest 5% above 10% up
    to and including 50%, the nearest 10% above 50%; halves round up. Sodium (a nutrient with a
    Daily Reference Value, not a vitamin or mineral RDI): the nearest whole percent. Works on
    numbers and arrays; NaN stays NaN.

    >>> label_percent_dv(23.4)  # above 10%: the nearest 5%
    25.0
    >>> label_percent_dv([7.0, 63.0, float("nan")])
    array([ 8., 60., nan])
    >>> label_percent_dv(23.4, "sodium")  # a DRV: the nearest whole percent
    23.0
    """
    percent = np.asarray(percent, dtype=float)
    if nutrient_id == "sodium":
        step = np.ones_like(percent)
    else:
        step = np.select([percent <= 10, percent <= 50], [2.0, 5.0], default=10.0)
    rounded = np.floor(percent / step + 0.5) * step
    return rounded if rounded.ndim else float(rounded)
