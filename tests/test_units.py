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


def test_household_measures_are_read_as_us_customary_volumes():
    cup = units.ML_PER_UNIT["cup"]
    assert units.measure_volume_ml(1, "cup, chopped") == pytest.approx(cup)
    assert units.measure_volume_ml(0.75, "cup (1 NLEA serving)") == pytest.approx(0.75 * cup)
    assert units.measure_volume_ml(1, "serving 8 fl oz") == pytest.approx(cup)
    assert units.measure_volume_ml(1, "tablespoon") == pytest.approx(units.ML_PER_UNIT["tbsp"])
    assert units.measure_volume_ml(2, "tbsp") == pytest.approx(2 * units.ML_PER_UNIT["tbsp"])
    for not_a_volume in ("oz", 'medium (7" to 7-7/8" long)', "NLEA serving", "slice"):
        assert units.measure_volume_ml(1, not_a_volume) is None


def test_a_volume_weighs_what_the_measure_says():
    # 240 mL of a milk whose SR28 cup weighs 244 g
    cup = units.ML_PER_UNIT["cup"]
    assert units.grams_of_volume(240, 244, cup) == pytest.approx(240 * 244 / cup)
    # a reference amount of one tablespoon weighs the food's SR28 tablespoon
    tbsp = units.volume_ml(1, "tbsp")
    assert units.grams_of_volume(tbsp, 14.2, units.measure_volume_ml(1, "tbsp")) == 14.2
