"""The course website's sources: home page, figures page, and notebooks as the site shows them.

Sphinx does not run here (tests/browser/test_site.py builds and browses the real site); these
check what make site hands to it, on hand-made notebooks and on the course itself.
"""

import json
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image, PngImagePlugin
from repo import CLONE

from cramplab_tools import site
from cramplab_tools.notebooks import course_notebooks

README = """# cramplab

**Do cramps point to a deficiency?** An introduction.

## Quick start

make test
[Launch](https://mybinder.org/v2/gh/cramplab/cramplab/HEAD?urlpath=lab/tree/student/00_start_here.ipynb)

| notebook | question |
| --- | --- |
| `00_start_here` | What does the guide claim? |
| `05_grading_evidence` | How strong is the evidence? |

More text.

## How long it takes

About 6.8<!--fact:time_total_hours:.1f--> hours.

## Data sources and licences

- USDA SR28, public domain.
"""
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def png_with_text(path, **text):
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    Image.new("RGB", (2, 2)).save(path, pnginfo=info)
    return path


def image_cell(source):
    cell = new_code_cell(source, execution_count=1)
    cell.outputs = [
        new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"})
    ]
    return cell


def tagged(cell, *tags):
    cell.metadata["tags"] = list(tags)
    return cell


@pytest.fixture
def figures(tmp_path):
    folder = tmp_path / "figures"
    folder.mkdir()
    png_with_text(
        folder / "03_bars.png",
        Title="Beans beat bananas",
        Description="Magnesium per serving.",
        Alt='Bar chart: beans hold "twice" the magnesium of bananas.',
        Notebook="03",
        Source="USDA SR28",
    )
    return folder


# --- home page ------------------------------------------------------------------------------


def test_course_map_links_the_notebooks_that_exist_and_marks_the_others():
    table = site.course_map(README, ["00_start_here"])
    assert (
        "| [00_start_here](notebooks/00_start_here.ipynb) | What does the guide claim? |" in table
    )
    assert "| `05_grading_evidence` (coming) | How strong is the evidence? |" in table
    assert "More text" not in table


def test_home_page_has_the_introduction_course_map_sources_and_contents_in_order():
    page = site.home_page(README, ["00_start_here", "01_the_data"])
    assert page.startswith("# cramplab\n\n**Do cramps point to a deficiency?**")
    assert "make test" not in page  # the Quick start is for a clone, not for readers
    assert "## Course map" in page and "USDA SR28, public domain." in page
    contents = page[page.index(":caption: Course") :]
    assert contents.index("notebooks/00_start_here") < contents.index("notebooks/01_the_data")
    assert "figures\nhelpers\ndata/README" in page
    assert "About 6.8<!--fact" in page  # home_page itself keeps comments: stage() strips them


def test_home_page_starts_students_on_binder_before_the_course_map():
    page = site.home_page(README, ["00_start_here"])
    start = page.index("## Start here")
    binder = page.index("(https://mybinder.org/v2/gh/cramplab/cramplab/HEAD?urlpath=")
    assert start < binder < page.index("## Course map") < page.index("## How long it takes")
    with pytest.raises(site.SiteError, match="Binder link"):
        site.home_page(README.replace("https://mybinder.org/v2/", "https://example.org/"), [])


def test_a_readme_without_its_course_map_or_sources_says_so():
    with pytest.raises(site.SiteError, match="course map"):
        site.course_map("# cramplab\n", [])
    with pytest.raises(site.SiteError, match="Data sources and licences"):
        site.home_page(README.replace("## Data sources", "## Data"), [])


# --- figures --------------------------------------------------------------------------------


def test_png_text_reads_what_save_figure_stored():
    from cramplab.plotting import figure_metadata

    committed = sorted(CLONE.figures.glob("[0-9][0-9]_*.png"))
    assert committed, "no figures in figures/"
    assert site.png_text(committed[0]) == figure_metadata(committed[0])


def test_figures_page_shows_each_figure_with_its_alt_text_and_notebook(figures):
    page = site.figures_page(sorted(figures.glob("*.png")), ["03_food_sources"])
    assert "## Beans beat bananas" in page
    # The alt text is a JSON string in the directive's options: quotes and colons stay text.
    assert 'alt: "Bar chart: beans hold \\"twice\\" the magnesium of bananas."' in page
    assert "[notebook 03](notebooks/03_food_sources.ipynb)" in page
    assert "Magnesium per serving." in page and "USDA SR28" in page


def test_a_figure_without_its_metadata_stops_the_page(tmp_path):
    bare = png_with_text(tmp_path / "04_bare.png", Title="Only a title")
    with pytest.raises(site.SiteError, match=r"04_bare.png stores no \['Description', 'Alt'"):
        site.figures_page([bare], [])


# --- notebooks ------------------------------------------------------------------------------


def lesson():
    return new_notebook(
        cells=[
            new_markdown_cell("# 03 · Food sources"),
            tagged(new_markdown_cell("**Instructor notes**\n- *Timing:* 10 min"), "instructor"),
            new_markdown_cell("### Exercise 3.1 — the richest food"),
            tagged(new_code_cell("answer = 'beans'", execution_count=2), "solution"),
            tagged(new_code_cell("checks.richest(answer)", execution_count=3), "self-check"),
            image_cell('fig = plot()\nsave_figure(fig, "03_bars")'),
        ]
    )


def test_the_site_drops_instructor_notes_and_closes_solutions_and_verdicts(figures):
    shown = site.site_notebook(lesson(), "03_food_sources.ipynb", figures)
    assert [cell.source.splitlines()[0] for cell in shown.cells] == [
        "# 03 · Food sources",
        "### Exercise 3.1 — the richest food",
        "answer = 'beans'",
        "checks.richest(answer)",
        "fig = plot()",
    ]
    solution, check = shown.cells[2], shown.cells[3]
    assert solution.metadata.tags == ["solution", "hide-cell"]  # code and output closed
    assert solution.metadata.mystnb["code_prompt_show"] == "Show solution"
    assert check.metadata.tags == ["self-check", "hide-output"]  # "Correct! ..." closed
    assert check.metadata.mystnb["code_prompt_show"] == "Show what the self-check says"


def test_an_image_gets_the_alt_text_of_the_figure_its_cell_saves(figures):
    shown = site.site_notebook(lesson(), "03_food_sources.ipynb", figures)
    alt = shown.cells[-1].metadata.mystnb["image"]["alt"]
    assert alt == 'Bar chart: beans hold "twice" the magnesium of bananas.'


def test_an_image_gets_the_caption_of_the_figure_its_cell_saves(figures):
    shown = site.site_notebook(lesson(), "03_food_sources.ipynb", figures)
    assert shown.cells[-1].metadata.mystnb["figure"]["caption"] == "Magnesium per serving."


def test_markdown_loses_its_tooling_comments_on_the_site(figures):
    notebook = lesson()
    notebook.cells[0].source = "# 03 · Three<!--not-data--> yardsticks, 8<!--fact:x--> foods"
    shown = site.site_notebook(notebook, "03_food_sources.ipynb", figures)
    assert shown.cells[0].source == "# 03 · Three yardsticks, 8 foods"


def test_the_notebook_itself_is_left_untouched(figures):
    notebook = lesson()
    before = json.dumps(notebook, sort_keys=True)
    site.site_notebook(notebook, "03_food_sources.ipynb", figures)
    assert json.dumps(notebook, sort_keys=True) == before


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("plt.show()", r"03_x.ipynb, cell 2 \(id \w+\): an image output, and the cell saves no"),
        (
            'save_figure(a, "03_bars")\nsave_figure(b, "03_more")',
            "saves 2 figures \\(03_bars, 03_more\\)",
        ),
        ('save_figure(fig, "03_gone")', "03_gone.png is missing: run `make figures`"),
    ],
)
def test_an_image_without_exactly_one_saved_figure_names_the_cell(figures, source, message):
    notebook = new_notebook(cells=[new_markdown_cell("# 03"), image_cell(source)])
    with pytest.raises(site.SiteError, match=message):
        site.site_notebook(notebook, "03_x.ipynb", figures)


def test_a_saved_figure_without_alt_text_is_refused(figures):
    png_with_text(figures / "03_mute.png", Title="t")
    notebook = new_notebook(cells=[image_cell('save_figure(fig, "03_mute")')])
    with pytest.raises(site.SiteError, match="stores no alt text"):
        site.site_notebook(notebook, "03_x.ipynb", figures)


# --- staging the real course ----------------------------------------------------------------


def test_the_course_stages_whole(tmp_path):
    mermaid = tmp_path / "mermaid-0.0.0"
    mermaid.mkdir()
    (mermaid / "mermaid.esm.min.mjs").write_text("export default {}")
    src = tmp_path / "src"
    stems = site.stage(CLONE, src, mermaid)
    notebooks = course_notebooks(CLONE.notebooks)
    assert stems == [path.stem for path in notebooks]
    for name in ("conf.py", "_static/favicon.svg", "_static/mermaid-0.0.0/mermaid.esm.min.mjs"):
        assert (src / name).is_file(), name
    for name in ("index.md", "figures.md", "data/README.md", "data/datapackage.json"):
        assert (src / name).is_file(), name
    assert sorted(p.name for p in (src / "notebooks").iterdir()) == [p.name for p in notebooks]
    for path in (src / "notebooks").iterdir():
        for cell in nbformat.read(path, as_version=4).cells:
            assert "instructor" not in cell.metadata.get("tags", []), path.name
            if cell.get("outputs") and site.image_outputs(cell):
                assert cell.metadata.mystnb["image"]["alt"], f"{path.name}: an image without alt"
    figures = sorted(p.name for p in CLONE.figures.glob("[0-9][0-9]_*.png"))
    assert sorted(p.name for p in (src / "figures").iterdir()) == figures


def test_no_tooling_comment_reaches_the_sites_pages(tmp_path):
    """Fact markers and other HTML comments are for the checkers, never for a reader."""
    mermaid = tmp_path / "mermaid-0.0.0"
    mermaid.mkdir()
    src = tmp_path / "src"
    site.stage(CLONE, src, mermaid)
    for page in [*src.glob("*.md"), *(src / "data").glob("*.md")]:
        assert "<!--" not in page.read_text(encoding="utf-8"), page.name
    for path in (src / "notebooks").iterdir():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert "<!--" not in cell.source, f"{path.name}: {cell.source[:60]!r}"


def test_every_file_gets_the_same_modification_time(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "page.html").write_text("x")
    site.set_mtimes(tmp_path / "a", 0)
    stamps = {os.stat(p).st_mtime for p in [tmp_path / "a", *(tmp_path / "a").rglob("*")]}
    assert stamps == {0}


def test_the_helpers_page_shows_each_lesson_function_with_its_example():
    page = site.helpers_page(CLONE.root / "src" / "cramplab")
    for name in site.HELPER_MODULES:
        assert f"## `cramplab.{name}`" in page
    assert "### `plan.plan_menu`" in page and ">>> menu = plan_menu(load())" in page
    assert "### `analysis.coverage`" in page and "### `data.load`" in page
    assert "### `plan._solve`" not in page  # private helpers stay out
    assert page.count("```") % 2 == 0  # every fence closed
