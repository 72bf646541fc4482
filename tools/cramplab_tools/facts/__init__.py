"""The named facts the notebooks' prose states, each computed from data/ (see course.prose).

A fact is a value ("the package holds nine tables") or a claim, a comparison that must hold
("more than twice the potassium of a banana"). Each is a small function of a Context, which
loads the data once and caches what several facts share. The facts of each notebook live in
their own module here (n03_food_sources.py for notebooks/03_food_sources.ipynb), registered on
import; write a fact's marker after the words in the markdown: ``<!--fact:NAME-->``.

SOURCED lists the numbers that come from a cited source rather than from data/ (the FDA's claim
thresholds, the vitamin D unit conversion, the size of SR28): the prose may state them without a
marker, and each is checked against the constant the code uses, where there is one.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from cramplab import analysis, units
from cramplab.data import CourseData, load

WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


class FactError(ValueError):
    """A fact cannot be computed from the data as they stand (a food or claim has gone)."""


class Context:
    """The data the facts are computed from, loaded once, with shared derived tables."""

    def __init__(self, data_dir=None):
        self.data_dir = data_dir

    @cached_property
    def data(self) -> CourseData:
        return load(self.data_dir)

    @cached_property
    def per_100g(self) -> pd.DataFrame:
        return analysis.nutrient_matrix(self.data)

    @cached_property
    def nutrients(self) -> pd.DataFrame:
        return self.data.nutrients.set_index("nutrient_id")

    def daily_value(self, nutrient_id: str) -> float:
        return float(self.nutrients.at[nutrient_id, "daily_value"])


@dataclass(frozen=True)
class Fact:
    name: str
    about: str
    compute: Callable[[Context], object]
    format: str = ""  # how the prose writes it unless the marker says otherwise
    claim: str | None = None  # for a comparison: the exact words it stands behind


class Registry(dict[str, Fact]):
    def value(self, name: str, about: str, format: str = ""):
        """Register a fact whose value the prose states."""

        def register(compute):
            self[name] = Fact(name, about, compute, format)
            return compute

        return register

    def claim(self, name: str, words: str, about: str):
        """Register a comparison: compute returns whether the data still support the words."""

        def register(compute):
            self[name] = Fact(name, about, compute, claim=words)
            return compute

        return register


FACTS = Registry()


def format_value(value, fmt: str = "") -> str:
    """How the prose writes a value: 'words' (nine), 'Words' (Nine) or a Python format spec."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)
    if fmt in ("words", "Words"):
        if not isinstance(value, int):
            raise FactError(f"only whole numbers are written in words, not {value!r}")
        text = WORDS[value] if 0 <= value < len(WORDS) else f"{value:,}"
        return text.capitalize() if fmt == "Words" else text
    if fmt:
        return format(value, fmt)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Sourced:
    """A number from a cited source, not from data/, that the prose may state as it is."""

    pattern: re.Pattern
    source: str
    check: Callable[[], bool] = lambda: True


SOURCED = [
    Sourced(
        re.compile(r"1 µg = 40 IU"),
        "NIH Office of Dietary Supplements, Vitamin D fact sheet for health professionals",
        lambda: units.IU_PER_UG_VITAMIN_D == 40,
    ),
    Sourced(
        re.compile(r"\b10(?:\s?%| percent)(?: DV)?"),
        "21 CFR 101.54(c): a 'good source' gives 10-19% of the Daily Value per reference amount",
        lambda: analysis.GOOD_SOURCE_PCT == 10,
    ),
    Sourced(
        re.compile(r"\b20(?:\s?%| percent)(?: DV)?"),
        "21 CFR 101.54(b): 'high', 'rich in', 'excellent source' give 20% DV or more",
        lambda: analysis.EXCELLENT_SOURCE_PCT == 20,
    ),
    Sourced(
        re.compile(r"8,790 foods"),
        "USDA SR28 documentation (sr28_doc.pdf): the release describes 8,790 foods",
    ),
    Sourced(
        re.compile(r"\b100 (?:g|grams|kcal)\b"),
        "USDA SR28 reports nutrients per 100 g of edible portion; per 100 kcal is its energy "
        "equivalent (the course's three bases, cramplab.analysis.BASES)",
    ),
]


def _register_every_notebook() -> None:
    """Import the per-notebook modules, each of which registers its facts."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("n"):
            importlib.import_module(f"{__name__}.{module.name}")


_register_every_notebook()
