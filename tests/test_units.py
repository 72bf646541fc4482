import numpy as np
import pandas as pd
import pytest

from cramplab import units


def test_vitamin_d_units_round_trip():
    assert units.vitamin_d_ug_to_iu(20) == 800  # the FDA Daily Value, both ways
    assert units.vitamin_d_iu_to_ug(800) == 20


def test_millimoles_of_sodium_and_potassium():
    assert units.mg_to_mmol(2300, "sodium") == pytest.approx(100)
    assert units.mg_to_mmol(391, "potassium") == pytest.approx(10)


def test_per_serving_scales_from_100_g():
    assert units.per_serving(358.0, 118.0) == pytest.approx(422.44)


def test_per_100_kcal_and_foods_without_energy():
    result = units.per_100_kcal(np.array([358.0, 4.0]), np.array([89.0, 0.0]))
    assert result[0] == pytest.approx(402.25, rel=1e-4)
    assert np.isnan(result[1]), "a food with 0 kcal has no per-100-kcal value"


def test_missing_stays_missing():
    amounts = pd.Series([10.0, np.nan])
    assert units.per_serving(amounts, 50).isna().tolist() == [False, True]
    assert units.percent_of(amounts, 20).isna().tolist() == [False, True]


def test_percent_of_a_daily_value():
    assert units.percent_of(42.0, 420.0) == pytest.approx(10.0)
