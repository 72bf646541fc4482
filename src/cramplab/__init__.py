"""cramplab: the lesson helpers and curated USDA data of the muscle-cramp nutrition course.

    import cramplab
    data = cramplab.load()        # every table of data/, validated and typed
    data.foods.head()

What a student's notebook imports, in the one direction the modules depend on each other:
units and diets -> data (load and validate; data_rules says what each table means) ->
analysis (amounts, rankings, coverage) -> claims, plan (verdicts, menus) -> plotting and
figure_texts (style, titles, save_figure). sr28 reads the USDA release; checks holds the
exercises' self-checks. load() only reads. The tooling that builds the course (notebooks,
figures, handout, site, grading, the SR28 rebuild) is cramplab_tools in tools/, not shipped.
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
