"""Unit conversions and the arithmetic of labels: per serving, per 100 kcal, percent of DV.

Each function works on numbers, NumPy arrays or pandas objects alike, and missing stays
missing: NaN in, NaN out (a food with no analysed value is not a food with none).
"""

from __future__ import annotations

import numpy as np

IU_PER_UG_VITAMIN_D = 40.0  # 1 µg vitamin D = 40 IU (facts.md §3; NIH ODS)
MG_PER_MMOL = {"sodium": 23.0, "potassium": 39.1}  # molar masses, rounded as in facts.md §3


def vitamin_d_ug_to_iu(ug):
    return ug * IU_PER_UG_VITAMIN_D


def vitamin_d_iu_to_ug(iu):
    return iu / IU_PER_UG_VITAMIN_D


def mg_to_mmol(mg, nutrient_id: str):
    return mg / MG_PER_MMOL[nutrient_id]


def per_serving(amount_per_100g, serving_g):
    """Amount in one serving, from the amount per 100 g edible portion."""
    return amount_per_100g * serving_g / 100.0


def per_100_kcal(amount_per_100g, kcal_per_100g):
    """Amount per 100 kcal of the food; foods with no energy (water, salt) give NaN."""
    kcal = np.where(np.asarray(kcal_per_100g, dtype=float) > 0, kcal_per_100g, np.nan)
    return amount_per_100g / kcal * 100.0


def percent_of(amount, reference):
    """amount as a percentage of a reference amount (a Daily Value, an RDA, an AI)."""
    return amount / reference * 100.0
