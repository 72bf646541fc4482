"""The lesson map in CONTRIBUTING.md: generated, in step, and every place it names exists."""

from repo import CLONE

from cramplab_tools import lessons


def test_the_lesson_map_in_the_maintainers_guide_is_in_step():
    text = (CLONE.root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert lessons.with_table(text, CLONE.root) == text, (
        "the lesson map is stale: run python -m cramplab_tools.lessons"
    )


def test_every_notebook_has_all_six_places():
    rows = lessons.places(CLONE.root)
    assert [row[0] for row in rows] == [
        f"`notebooks/{p.name}`" for p in sorted(CLONE.notebooks.glob("[0-9][0-9]_*.ipynb"))
    ]
    for row in rows:
        missing = [
            column for column, cell in zip(lessons.COLUMNS[:5], row, strict=False) if cell == "-"
        ]
        assert not missing, f"{row[0]} has no {missing}"


def test_every_figure_belongs_to_a_notebook():
    numbers = {p.name[:2] for p in CLONE.notebooks.glob("[0-9][0-9]_*.ipynb")}
    strays = [p.name for p in (CLONE.root / "figures").glob("[0-9][0-9]_*.svg")
              if p.name[:2] not in numbers]  # fmt: skip
    assert not strays, f"figures no notebook saves: {strays}"
