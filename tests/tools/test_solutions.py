"""The teacher's solutions handout: every exercise, its solution and self-check, offline."""

import html
import re

import nbformat
import pytest
from repo import CLONE

from cramplab_tools.editions import SELF_CHECK, SOLUTION, tags
from cramplab_tools.notebooks import course_notebooks
from cramplab_tools.solutions import handout, main

NOTEBOOKS = course_notebooks(CLONE.notebooks)


@pytest.fixture(scope="module")
def page():
    return handout(NOTEBOOKS)


def test_it_is_the_same_file_every_time(page):
    assert handout(NOTEBOOKS) == page


def test_it_needs_no_network(page):
    lowered = page.lower()
    for external in ("<script", "<link", "<iframe", "@import", 'src="http', "url(http"):
        assert external not in lowered, f"the handout loads {external!r}"
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_is_there_with_its_solution_and_self_check(page, path):
    notebook = nbformat.read(path, as_version=4)
    prompts = re.findall(r"^### (Exercise [\w.]+)", "\n".join(
        c.source for c in notebook.cells if c.cell_type == "markdown"
    ), flags=re.M)  # fmt: skip
    for prompt in prompts:
        assert f"{prompt} " in page or f"{prompt}<" in page, f"{prompt} is missing"
    for cell in notebook.cells:
        if tags(cell) & {SOLUTION, SELF_CHECK}:
            assert html.escape(cell.source) in page, f"{path.name}: {cell.source[:40]!r}"
        if SELF_CHECK in tags(cell):
            for output in cell.outputs:
                assert html.escape(output.text) in page


def test_the_command_writes_build_solutions_html(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(CLONE.root)
    assert main([str(tmp_path / "solutions.html")]) == 0
    assert (tmp_path / "solutions.html").read_text(encoding="utf-8") == handout(NOTEBOOKS)
    assert "solutions handout:" in capsys.readouterr().out
