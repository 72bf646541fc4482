"""figures/: every figure the notebooks save is there, with its twin and metadata, catalogued.

That each committed figure is *current* is checked while nbval runs the notebooks: the test
run sets CRAMPLAB_FIGURES_MODE=check (conftest.py), so every save_figure call re-renders its
figure and compares the bytes with the committed file.
"""

import ast
import json

import pytest
from repo import CLONE

from cramplab.plotting import figure_metadata
from cramplab_tools.figures import CATALOGUE, catalogue, figure_files
from cramplab_tools.notebooks import course_notebooks

FIGURES_DIR = CLONE.figures

FIGURES = figure_files(FIGURES_DIR)


def saved_names() -> set[str]:
    """Figure names passed (as literals) to save_figure in the notebooks' code."""
    names = set()
    for path in course_notebooks(CLONE.notebooks):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            for node in ast.walk(ast.parse(source)):
                called = getattr(getattr(node, "func", None), "id", None)
                if isinstance(node, ast.Call) and called == "save_figure":
                    names.add(node.args[1].value)
    return names


def test_figures_are_exactly_those_the_notebooks_save():
    on_disk = {p.stem for p in FIGURES}
    assert on_disk == saved_names(), (
        "run `make figures` (it also removes figures no notebook draws)"
    )


@pytest.mark.parametrize("png", FIGURES, ids=lambda p: p.stem)
def test_each_figure_has_an_svg_twin_and_full_metadata(png):
    assert png.with_suffix(".svg").exists()
    meta = figure_metadata(png)
    for key in ("Title", "Description", "Alt", "Notebook", "Source"):
        assert meta.get(key, "").strip(), f"{png.name} has no {key}"
    assert meta["Notebook"] == png.name[:2]


def test_catalogue_is_in_step_with_the_files():
    committed = (FIGURES_DIR / CATALOGUE).read_text(encoding="utf-8")
    assert committed == catalogue(), "figures/README.md is stale: run `make figures`"
    listed = [
        line.split("](")[0].lstrip("| [")
        for line in committed.splitlines()
        if line.startswith("| [")
    ]
    assert listed == [p.name for p in FIGURES]


def test_figures_folder_holds_nothing_unexpected():
    expected = {p.name for p in FIGURES} | {p.with_suffix(".svg").name for p in FIGURES}
    expected |= {CATALOGUE, "handout.pdf"}
    assert {p.name for p in FIGURES_DIR.iterdir()} == expected
