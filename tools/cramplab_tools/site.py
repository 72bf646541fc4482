"""`make site`: the course website, built from the notebooks' stored outputs (nothing runs).

A class can read the course on any device before installing anything. Sphinx with MyST-NB and
sphinx-book-theme renders it offline (Jupyter Book 2 / mystmd fetches its theme from the web at
build time, which a machine without network cannot). The result, build/site/, is plain static
files: copy the folder to any static host (GitHub Pages, Netlify, a university web space).

The site's sources are staged in a work folder beside the output, laid out like the repository:

  index.md        the README's introduction, "Start here" (the Binder link), course map (each
                  notebook linked), how long it takes, and data sources
  notebooks/      every course notebook, in order, as the instructor edition reads, except:
                  instructor notes are dropped; each solution is a closed dropdown ("Show
                  solution": code and output); each self-check's output ("Correct! ...", which
                  gives the answer away) is a closed dropdown too; each image output gets the
                  alt text and the caption of the figure its cell saves (save_figure(fig, "NAME")
                  stores them in figures/NAME.png, from cramplab.figure_texts), and an
                  image without alt text stops the build, naming the cell; markdown loses its
                  HTML comments (the prose checker's fact markers)
  figures.md      every figure of figures/ with its caption and alt text
  data/README.md  the data dictionary (with the descriptor and tables it links to)

plus site/ (Sphinx's conf.py and static files) and mermaid (cramplab_tools.mermaid) in
_static/. Sphinx runs with -W: any warning (a broken link, say) fails the build, and the old
site is left as it was.

Two builds give byte-identical files: dates come from SOURCE_DATE_EPOCH (0 unless set), the
configuration holds no absolute path, every build starts from nothing, and every file's mtime is
set to SOURCE_DATE_EPOCH (Sphinx stamps what it copies with the build time).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from PIL import Image

from cramplab.paths import Clone, CloneRequired, find_clone
from cramplab_tools import mermaid
from cramplab_tools.editions import INSTRUCTOR, SELF_CHECK, SOLUTION, tags, without_comments
from cramplab_tools.notebooks import course_notebooks

SITE_FOLDER = "site"  # in the clone: conf.py and _static/
OUTPUT = Path("build") / "site"  # in the clone, unless a folder is named
COURSE_MAP_HEADER = "| notebook | question |"
COURSE_MAP_ROW = re.compile(r"^\| `(\d\d_\w+)` \|", re.M)
SAVED_FIGURE = re.compile(r"""save_figure\(\s*\w+\s*,\s*["']([^"']+)["']""")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
# MyST-NB's per-cell options: the words on the dropdowns the site closes.
SOLUTION_PROMPTS = {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}
SELF_CHECK_PROMPTS = {
    "code_prompt_show": "Show what the self-check says",
    "code_prompt_hide": "Hide what the self-check says",
}


class SiteError(RuntimeError):
    """The course cannot become a site as it is; the message says where and what to do."""


# --- pages ----------------------------------------------------------------------------------


def section(markdown: str, heading: str) -> str:
    """The text under '## heading' of a markdown file, up to the next '## '."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    if match is None:
        raise SiteError(f"README.md has no '## {heading}' section for the site's home page")
    return match.group(1).strip()


def course_map(readme: str, stems: list[str]) -> str:
    """The README's `| notebook | question |` table, each notebook linked to its page.

    A notebook the README lists before it exists stays plain text, marked "(coming)": a link to
    a missing page would fail the build.
    """
    lines = readme.splitlines()
    if COURSE_MAP_HEADER not in lines:
        raise SiteError(f"README.md has no course map (a table starting {COURSE_MAP_HEADER!r})")
    start = lines.index(COURSE_MAP_HEADER)
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))

    def link(match: re.Match) -> str:
        stem = match.group(1)
        shown = f"[{stem}](notebooks/{stem}.ipynb)" if stem in stems else f"`{stem}` (coming)"
        return f"| {shown} |"

    return COURSE_MAP_ROW.sub(link, "\n".join(lines[start:end]))


BINDER_LINK = re.compile(r"https://mybinder\.org/v2/[^)\s]+")


def start_here(readme: str) -> str:
    """What a student does first: the Binder link (from the README), and what to open."""
    match = BINDER_LINK.search(readme)
    if match is None:
        raise SiteError("README.md has no Binder link (https://mybinder.org/v2/...) for students")
    return (
        "## Start here\n\n"
        f"**[Open the course on Binder]({match.group(0)})**: JupyterLab in your browser with "
        "nothing to install (it takes a minute or two to start). It opens "
        "`00_start_here`: go through the notebooks in order, run each with *Run → Run All Cells*, "
        "then read and answer as you go. Each exercise waits for your code in place of a `...`, "
        "and the self-check under it says whether your answer holds.\n\n"
        "This site shows the same notebooks with every solution closed: open one on purpose, "
        "after trying. Work saved on Binder is lost when you close it: download a notebook "
        "(*File → Download*) to keep your answers."
    )


def home_page(readme: str, stems: list[str]) -> str:
    """index.md: the README's introduction, where to start (Binder), the course map, how long
    it takes, the sources, and the site's contents."""
    introduction = readme.split("\n## ", 1)[0].strip()
    contents = "\n".join(f"notebooks/{stem}" for stem in stems)
    return (
        f"{introduction}\n\n"
        f"{start_here(readme)}\n\n"
        f"## Course map\n\n{course_map(readme, stems)}\n\n"
        f"## How long it takes\n\n{section(readme, 'How long it takes')}\n\n"
        f"## Data sources and licences\n\n{section(readme, 'Data sources and licences')}\n\n"
        f":::{{toctree}}\n:caption: Course\n:hidden:\n\n{contents}\n:::\n\n"
        ":::{toctree}\n:caption: Reference\n:hidden:\n\nfigures\nhelpers\ndata/README\n:::\n"
    )


def png_text(path: Path) -> dict[str, str]:
    """The text chunks of a PNG: what save_figure stored (Title, Description, Alt, ...).

    Like cramplab.plotting.figure_metadata, but without decoding the picture (matplotlib
    writes the chunks before the image data: 0.2 ms a figure instead of up to 200 ms), and
    without importing matplotlib and seaborn (3 s).
    """
    with Image.open(path) as image:
        return {key: value for key, value in image.info.items() if isinstance(value, str)}


def figures_page(figures: list[Path], stems: list[str]) -> str:
    """figures.md: every handout figure with its title, caption, alt text and notebook."""
    notebook_of = {stem[:2]: stem for stem in stems}
    parts = [
        "# Figures\n",
        "Every figure of the course as `make figures` draws it for handouts and slides, with "
        "the caption and alt text stored in the file.\n",
    ]
    for path in figures:
        meta = png_text(path)
        missing = [key for key in ("Title", "Description", "Alt", "Notebook") if key not in meta]
        if missing:
            raise SiteError(f"figures/{path.name} stores no {missing}: run `make figures`")
        stem = notebook_of.get(meta["Notebook"])
        origin = f"[notebook {meta['Notebook']}](notebooks/{stem}.ipynb)" if stem else "the course"
        source = f"; {meta['Source']}" if meta.get("Source") else ""
        parts.append(
            f"## {meta['Title']}\n\n"
            # JSON is valid YAML: colons and quotes in the alt text stay text.
            f":::{{figure}} figures/{path.name}\n---\nalt: {json.dumps(meta['Alt'])}\n---\n"
            f"{meta['Description']} *From {origin}{source}.*\n:::\n"
        )
    return "\n".join(parts)


# The lesson helpers a student imports, in the order the notebooks meet them.
HELPER_MODULES = ("data", "units", "diets", "analysis", "claims", "plan", "sr28", "plotting")


def helpers_page(package: Path) -> str:
    """helpers.md: each lesson module's purpose and each public function's signature,
    docstring and example, read from the source (nothing is imported)."""
    parts = [
        "# The helpers\n",
        "The functions the notebooks call, module by module (`from cramplab import plan`), "
        "each with the example that `make test` runs. The notebooks do each step by hand "
        "first; a helper is that step, named.\n",
    ]
    for name in HELPER_MODULES:
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        summary = (ast.get_docstring(tree) or "").split("\n\n", 1)[0]
        exported = next(
            (ast.literal_eval(node.value) for node in tree.body
             if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"),
            None,
        )  # fmt: skip
        parts.append(f"## `cramplab.{name}`\n\n{summary}\n")
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if exported is not None and node.name not in exported:
                continue
            docstring = ast.get_docstring(node) or ""
            prose, _, example = docstring.partition(">>>")
            signature = f"{node.name}({ast.unparse(node.args)})"
            parts.append(f"### `{name}.{node.name}`\n\n```python\n{signature}\n```\n")
            if prose.strip():
                parts.append(f"{prose.strip()}\n")
            if example:
                parts.append(f"```pycon\n>>>{example.rstrip()}\n```\n")
    return "\n".join(parts)


# --- notebooks ------------------------------------------------------------------------------


def image_outputs(cell) -> int:
    return sum(
        any(kind in output.get("data", {}) for kind in IMAGE_TYPES)
        for output in cell.get("outputs", [])
    )


def figure_texts(cell, where: str, figures: Path) -> dict[str, str]:
    """What save_figure stored for the one figure this cell saves (alt text, caption, ...)."""
    names = SAVED_FIGURE.findall(cell.source)
    if len(names) != 1:
        found = "no figure" if not names else f"{len(names)} figures ({', '.join(names)})"
        raise SiteError(
            f"{where}: an image output, and the cell saves {found}. Each plotted figure needs "
            'its alt text: call save_figure(fig, "NN_name") in that cell, once (its texts are '
            "in src/cramplab/figure_texts.py)."
        )
    path = figures / f"{names[0]}.png"
    if not path.is_file():
        raise SiteError(f"{where}: saves {names[0]!r}, but {path} is missing: run `make figures`")
    stored = png_text(path)
    if not stored.get("Alt", "").strip():
        raise SiteError(f"{where}: figures/{path.name} stores no alt text: run `make figures`")
    return stored


def site_notebook(
    notebook: nbformat.NotebookNode, name: str, figures: Path
) -> nbformat.NotebookNode:
    """The notebook as the site shows it (see the module's docstring); the input is untouched."""
    shown = nbformat.from_dict(notebook)
    cells = []
    for number, cell in enumerate(shown.cells, start=1):
        cell_tags = tags(cell)
        if INSTRUCTOR in cell_tags:
            continue
        if cell.cell_type == "markdown":
            cell.source = without_comments(cell.source)
        extra, options = [], dict(cell.metadata.get("mystnb", {}))
        if SOLUTION in cell_tags:
            extra.append("hide-cell")  # code and output: the output is the answer too
            options.update(SOLUTION_PROMPTS)
        elif SELF_CHECK in cell_tags:
            extra.append("hide-output")
            options.update(SELF_CHECK_PROMPTS)
        if image_outputs(cell):
            where = f"{name}, cell {number} (id {cell.get('id', '?')})"
            # MyST-NB 1.4 reads alt text and a caption from the cell's options, not the output.
            stored = figure_texts(cell, where, figures)
            options["image"] = {**options.get("image", {}), "alt": stored["Alt"].strip()}
            if stored.get("Description"):
                options["figure"] = {**options.get("figure", {}), "caption": stored["Description"]}
        if extra:
            cell.metadata["tags"] = [*cell.metadata.get("tags", []), *extra]
        if options:
            cell.metadata["mystnb"] = options
        cells.append(cell)
    shown.cells = cells
    return shown


# --- build ----------------------------------------------------------------------------------


def stage(clone: Clone, src: Path, mermaid_dir: Path) -> list[str]:
    """Write the site's sources into src (a new folder); returns the notebooks' stems."""
    shutil.copytree(clone.root / SITE_FOLDER, src)
    shutil.copytree(mermaid_dir, src / "_static" / mermaid_dir.name)
    notebooks = course_notebooks(clone.notebooks)
    if not notebooks:
        raise SiteError(f"no numbered notebooks in {clone.notebooks}")
    (src / "notebooks").mkdir()
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        nbformat.write(
            site_notebook(notebook, path.name, clone.figures), src / "notebooks" / path.name
        )
    figures = sorted(clone.figures.glob("[0-9][0-9]_*.png"))
    (src / "figures").mkdir()
    for path in figures:
        shutil.copyfile(path, src / "figures" / path.name)
    (src / "data").mkdir()
    for path in [
        clone.data / "README.md",
        clone.data / "datapackage.json",
        *clone.data.glob("*.csv"),
    ]:
        if path.suffix == ".md":  # the data dictionary, without the checkers' markers
            text = path.read_text(encoding="utf-8")
            (src / "data" / path.name).write_text(without_comments(text), encoding="utf-8")
        else:
            shutil.copyfile(path, src / "data" / path.name)
    stems = [path.stem for path in notebooks]
    readme = without_comments((clone.root / "README.md").read_text(encoding="utf-8"))
    (src / "index.md").write_text(home_page(readme, stems), encoding="utf-8")
    (src / "figures.md").write_text(figures_page(figures, stems), encoding="utf-8")
    helpers = helpers_page(clone.root / "src" / "cramplab")
    (src / "helpers.md").write_text(helpers, encoding="utf-8")
    return stems


def set_mtimes(folder: Path, epoch: int) -> None:
    """Every file and folder's mtime to epoch: Sphinx stamps the files it copies with the
    build time, which an archive of the site (zip, tar, rsync) would carry."""
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (epoch, epoch), follow_symlinks=False)


def build(clone: Clone, out: Path) -> int:
    """Build the site into out (replacing it only on success); returns its page count.

    Raises SiteError, naming what to fix, when the course or Sphinx stops the build.
    """
    from sphinx.cmd.build import build_main  # imported here: the other parts do not need it

    epoch = int(os.environ.setdefault("SOURCE_DATE_EPOCH", "0"))
    mermaid_dir = mermaid.ensure()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Sources, doctrees and MyST-NB's extracted outputs (it writes them to jupyter_execute/
    # beside the HTML) all live in one work folder, so every build starts from nothing.
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        stage(clone, work / "src", mermaid_dir)
        html = work / "html"
        options = ["-b", "html", "-d", str(work / "doctrees"), "-W", "--keep-going", "-q"]
        if build_main([*options, str(work / "src"), str(html)]) != 0:
            raise SiteError("Sphinx reported the problems above; the old site was left alone")
        set_mtimes(html, epoch)
        if out.exists():
            shutil.rmtree(out)
        html.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sum(1 for page in out.rglob("*.html") if "_static" not in page.relative_to(out).parts)


def describe(out: Path) -> str:
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return f"{len(files)} files, {size / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or args[:1] in (["-h"], ["--help"]):
        print("usage: python -m cramplab_tools site [OUTPUT_DIR]  (default: build/site)")
        return 2 if len(args) > 1 else 0
    start = time.perf_counter()
    try:
        clone = find_clone(command="make site")
        out = Path(args[0]).resolve() if args else clone.root / OUTPUT
        pages = build(clone, out)
    except (CloneRequired, SiteError, mermaid.MermaidUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    shown = out.relative_to(clone.root) if out.is_relative_to(clone.root) else out
    print(
        f"make site: {pages} pages ({describe(out)}) in {shown}/; "
        f"{time.perf_counter() - start:.1f} s"
    )
    print(f"  preview: python -m http.server -d {shown} -b 127.0.0.1 8000, then open")
    print("  http://127.0.0.1:8000 ; publish: copy the folder to any static web host")
    return 0


if __name__ == "__main__":
    sys.exit(main())
