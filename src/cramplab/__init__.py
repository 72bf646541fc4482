"""cramplab: curated USDA data and helpers for the muscle-cramp nutrition course.

    import cramplab
    data = cramplab.load()        # every table, validated and typed
    data.foods.head()

Modules, in the one direction they depend on each other:
data (load, validate) -> units, analysis (amounts, rankings, coverage) -> claims, plan
(verdicts, menus) -> plotting (style, save_figure). usda reads the SR28 release; notebooks,
figures, handout, editions and bench run the course.
"""

from cramplab.data import CourseData, DataError, load

DISCLAIMER = (
    "Health note: this course teaches how to read nutrition data and evidence. It is not medical "
    "advice; see a health professional about frequent or severe cramps."
)

__all__ = ["DISCLAIMER", "CourseData", "DataError", "load"]
