"""The course's length: the estimate's method, and the headers and README that state it."""

import json
import shutil

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from repo import CLONE

from cramplab_tools import timing
from cramplab_tools.notebooks import course_notebooks

NOTEBOOKS = course_notebooks(CLONE.notebooks)


def words(count: int) -> str:
    return " ".join(["word"] * count)


def tagged(cell, *tags):
    cell.metadata["tags"] = list(tags)
    return cell


def test_the_estimate_counts_as_a_lecturer_would(tmp_path):
    printed = new_code_cell(words(175), execution_count=1)  # code: 2 minutes at half speed
    printed.outputs = [
        new_output("stream", name="stdout", text=words(250)),  # 1 minute of output
        new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"}),
    ]
    notebook = new_notebook(
        cells=[
            new_markdown_cell(f"# 09 · A lesson\n\n{words(167)} five<!--fact:x--> marked words"),
            tagged(new_markdown_cell(words(1000)), "instructor"),  # the teacher's: not counted
            new_markdown_cell(f"## Part two\n\n{words(172)}"),
            printed,
            tagged(new_code_cell(words(500)), "solution"),  # the student's work: an exercise
            tagged(new_code_cell("x = 1"), "explore"),  # an open exercise
        ]
    )
    path = tmp_path / "09_lesson.ipynb"
    nbformat.write(notebook, path)
    parts = timing.sections(path)
    assert [title for title, _ in parts] == ["", "Part two"]
    assert parts[0][1].prose_words == 175  # 5 words of heading, 167, and 3 marked
    total = parts[0][1] + parts[1][1]
    assert (total.prose_words, total.code_words, total.output_words) == (350, 178, 250)
    assert (total.figures, total.exercises) == (1, 2)
    # 2 prose + 2.03 code + 1 output + 1 figure + 10 exercises + 5 discussion = 21.03 -> 20
    assert timing.notebook_minutes(path) == 20


def test_each_notebooks_header_states_its_estimated_time():
    for path in NOTEBOOKS:
        header = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
        line = timing.header_line(path.name[:2], timing.notebook_minutes(path))
        assert line in header, f"{path.name}: run python -m cramplab_tools.timing --write-headers"


def test_the_readme_states_the_table_and_the_one_class_path():
    readme = (CLONE.root / "README.md").read_text(encoding="utf-8")
    assert timing.table(NOTEBOOKS) in readme
    assert timing.one_class_markdown(NOTEBOOKS) in readme


def test_the_one_class_path_fits_a_90_minute_class():
    minutes = timing.one_class_minutes(NOTEBOOKS)
    assert list(minutes) == [stem for stem, _ in timing.ONE_CLASS]
    assert 75 <= sum(minutes.values()) <= 90


def test_notebook_00_shows_the_one_class_path():
    cells = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    assert "<!--fact:time_one_class-->" in text
    for stem, sections in timing.ONE_CLASS:
        assert f"`{stem}`" in text
        for section in sections or []:
            assert section.replace("Three", "Three<!--not-data-->") in text, section


def test_writing_the_headers_again_changes_nothing(tmp_path):
    copies = []
    for path in NOTEBOOKS:
        shutil.copyfile(path, tmp_path / path.name)
        copies.append(tmp_path / path.name)
    before = {path.name: path.read_bytes() for path in copies}
    assert timing.write_headers(copies) == []
    assert {path.name: path.read_bytes() for path in copies} == before


def test_stale_times_in_the_readme_are_rewritten(tmp_path):
    readme = tmp_path / "README.md"
    current = (CLONE.root / "README.md").read_text(encoding="utf-8")
    stale = current.replace(timing.table(NOTEBOOKS), "| notebook | minutes |\n| old | 1 |")
    stale = stale.replace(
        f"{sum(timing.course_minutes(NOTEBOOKS).values()) / 60:.1f}<!--fact:time_total_hours",
        "9.9<!--fact:time_total_hours",
    )
    readme.write_text(stale, encoding="utf-8")
    assert timing.write_readme(readme, NOTEBOOKS)
    assert readme.read_text(encoding="utf-8") == current
    assert not timing.write_readme(readme, NOTEBOOKS)  # nothing left to change
