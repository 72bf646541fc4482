"""cramplab: curated USDA data and helpers for the muscle-cramp nutrition course.

    import cramplab
    data = cramplab.load()        # every table, validated and typed
    data.foods.head()

Modules, in the one direction they depend on each other: units (conversions) and diets (what
a food is) -> data (load, validate; what each table means is in data_rules) -> analysis
(amounts, rankings, coverage) -> claims, plan (verdicts, menus) -> plotting (style,
save_figure). usda reads the SR28 release; notebooks,
figures, handout, editions and bench run the course; checks holds the exercises' self-checks;
atomic (used by usda and the course commands) replaces files and folders in one step;
load() never writes.
"""

DISCLAIMER = (
    "Health note: this course teaches how to read nutrition data and evidence; it is not "
    "medical advice. See a health professional about frequent or severe cramps."
)

__all__ = ["DISCLAIMER", "CourseData", "DataError", "load"]


def __getattr__(name: str):
    # Imported on first use, so `python -m cramplab.<module>` and a bare `import cramplab`
    # do not load pandas before they need it.
    if name in ("CourseData", "DataError", "load"):
        from cramplab import data

        return getattr(data, name)
    raise AttributeError(f"module 'cramplab' has no attribute {name!r}")
