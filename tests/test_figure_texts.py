"""Figure texts: one record per figure, computed from data, and none of it in student code.

The record of each figure (cramplab.figure_texts) is what `make figures` stores in the
files; here: every committed figure has one, it agrees with what the files store, and the cells
students read pass no title, caption or alt text of their own.
"""

import ast
import json

import matplotlib.pyplot as plt
import pytest
from repo import CLONE

from cramplab import figure_texts
from cramplab.plotting import figure_metadata, heading, save_figure, title_texts, use_course_style
from cramplab_tools.editions import INSTRUCTOR
from cramplab_tools.notebooks import course_notebooks

FIGURES = sorted(CLONE.figures.glob("[0-9][0-9]_*.png"))
PUBLISHING = {"title", "caption", "alt", "source"}
EDITIONS = [*course_notebooks(CLONE.notebooks), *course_notebooks(CLONE.student)]


def test_every_figure_has_a_record_and_every_record_a_figure():
    drawn = {p.stem for p in FIGURES}
    assert drawn, "no figures in figures/"
    assert drawn <= set(figure_texts.FIGURES), drawn - set(figure_texts.FIGURES)
    stale = set(figure_texts.FIGURES) - {p.stem for p in FIGURES}
    assert not stale, f"records for figures no notebook draws: {stale}"


@pytest.mark.parametrize("png", FIGURES, ids=lambda p: p.stem)
def test_the_record_is_what_the_committed_figure_stores(png):
    stored, texts = figure_metadata(png), figure_texts.record(png.stem)
    assert stored["Title"] == texts.title_text
    assert stored["Description"] == texts.caption
    assert stored["Alt"] == texts.alt
    assert stored["Source"] == texts.source


def test_an_unknown_figure_names_where_its_texts_go():
    with pytest.raises(KeyError, match=r"figure_texts\.py"):
        figure_texts.record("09_nothing")


def _save_figure_keywords(source: str) -> set[str]:
    """The keyword arguments of every save_figure(...) call in a cell's code."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%"))
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "save_figure":
            found |= {keyword.arg for keyword in node.keywords}
    return found


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_code_students_read_holds_publishing_arguments(path):
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "code" or INSTRUCTOR in cell["metadata"].get("tags", []):
            continue
        source = "".join(cell["source"])
        assert not _save_figure_keywords(source) & PUBLISHING, f"{path.name}, cell {index}"
        assert "caption=" not in source and "alt=" not in source, f"{path.name}, cell {index}"


def test_heading_draws_the_records_title_and_save_figure_leaves_it_out(tmp_path, monkeypatch):
    monkeypatch.setenv("CRAMPLAB_FIGURES_MODE", "write")
    monkeypatch.setenv("CRAMPLAB_FIGURES_DIR", str(tmp_path))
    use_course_style()
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    name = "03_basis_flips"
    heading(fig, name)
    texts = figure_texts.record(name)
    assert title_texts(fig, texts.title_text)  # drawn, line break and all
    png, _ = save_figure(fig, name)
    assert figure_metadata(png)["Title"] == texts.title_text
    assert title_texts(fig, texts.title_text)[0].get_visible()  # still on screen
    plt.close(fig)


def test_save_figure_takes_all_its_texts_or_none(tmp_path, monkeypatch):
    monkeypatch.setenv("CRAMPLAB_FIGURES_MODE", "write")
    monkeypatch.setenv("CRAMPLAB_FIGURES_DIR", str(tmp_path))
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match=r"\['caption', 'alt'\]"):
        save_figure(fig, "07_menu", title="A finding")
    plt.close(fig)
