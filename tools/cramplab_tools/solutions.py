"""`make solutions`: the teacher's solutions handout, one self-contained HTML file.

Built from the instructor edition's stored outputs (notebooks/; nothing is executed), it lists
every exercise in course order: its prompt, the worked solution's code and output, and the
line the self-check prints for it; for an open-ended "explore" exercise, the cell students
change and the instructor note that follows it. The file needs no network (styles inline,
images embedded) and its bytes depend only on the notebooks, so building it twice gives the
same file. It is generated on demand into build/ (not committed): it holds the solutions.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from cramplab import DISCLAIMER
from cramplab.paths import CloneRequired, find_clone
from cramplab_tools.editions import EXPLORE, INSTRUCTOR, SELF_CHECK, SOLUTION, tags
from cramplab_tools.notebooks import course_notebooks

EXERCISE = re.compile(r"^### Exercise\b", flags=re.M)
COMMENT = re.compile(r"<!--.*?-->", flags=re.S)
OUTPUT = "build/solutions.html"
PRINT_MARGIN_IN = 0.6  # the page margin on paper (US Letter or A4)
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
article { border-left: 4px solid #0072b2; padding: 0 0 0 1rem; margin: 1.5rem 0; }
article.explore { border-color: #e69f00; }
h4 { margin: 0.8rem 0 0.3rem; font-size: 0.8rem; text-transform: uppercase;
     letter-spacing: 0.05em; color: #555; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
pre.check { background: #eef7ee; }
.note { background: #fff8e6; padding: 0.3rem 0.8rem; }
table { border-collapse: collapse; font-size: 0.8rem; }
td, th { border: 1px solid #ddd; padding: 2px 6px; }
img { max-width: 100%; }
a.anchor-link { display: none; }
@media print {
  @page { margin: MARGINin; }  /* the paper size is the printer's: Letter or A4 */
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  /* Paper cannot scroll: every line wraps inside the page, code and self-checks included. */
  pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; font-size: 8.5pt; }
  table { table-layout: fixed; width: 100%; font-size: 7.5pt; }
  td, th { overflow-wrap: anywhere; }
  div, article { max-width: 100%; overflow: visible; }
  pre, img, tr, .note { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
}
""".replace("MARGIN", f"{PRINT_MARGIN_IN:g}")


@dataclass
class Exercise:
    notebook: str
    title: str
    prompt: str  # markdown
    solution: list = field(default_factory=list)  # code cells tagged solution
    checks: list = field(default_factory=list)  # code cells tagged self-check
    explore: list = field(default_factory=list)  # code cells tagged explore
    notes: list = field(default_factory=list)  # instructor markdown after the exercise

    @property
    def open_ended(self) -> bool:
        return not self.checks


def exercises(notebook: nbformat.NotebookNode, name: str) -> list[Exercise]:
    """The exercises of a notebook: each '### Exercise' prompt and the tagged cells after it."""
    found: list[Exercise] = []
    current: Exercise | None = None
    for cell in notebook.cells:
        cell_tags = tags(cell)
        if cell.cell_type == "markdown" and EXERCISE.search(cell.source):
            prompt = cell.source[EXERCISE.search(cell.source).start() :]
            title = COMMENT.sub("", prompt.splitlines()[0].removeprefix("### ")).strip()
            current = Exercise(name, title, prompt)
            found.append(current)
        elif current is not None and SOLUTION in cell_tags:
            current.solution.append(cell)
        elif current is not None and SELF_CHECK in cell_tags:
            current.checks.append(cell)
        elif current is not None and EXPLORE in cell_tags:
            current.explore.append(cell)
        elif current is not None and INSTRUCTOR in cell_tags:
            current.notes.append(cell)
        else:
            current = None
    return found


def markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(COMMENT.sub("", text))


def outputs(cell, css: str = "") -> str:
    """A code cell's stored outputs as HTML: text as <pre>, HTML tables as they are, images inline."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(f'<pre class="{css}">{html.escape(output.text)}</pre>')
            continue
        data = output.get("data", {})
        if "image/png" in data:
            parts.append(
                f'<img alt="figure" src="data:image/png;base64,{data["image/png"].strip()}">'
            )
        elif "text/html" in data:
            parts.append(f"<div>{data['text/html']}</div>")
        elif "text/plain" in data:
            parts.append(f"<pre>{html.escape(data['text/plain'])}</pre>")
    return "\n".join(parts)


def code(cell) -> str:
    return f"<pre><code>{html.escape(cell.source)}</code></pre>"


def _slug(exercise: Exercise) -> str:
    number = re.search(r"Exercise\s+([\w.]+)", exercise.title)
    return "ex-" + (number.group(1).replace(".", "-") if number else exercise.notebook)


def article(exercise: Exercise) -> str:
    kind = "explore" if exercise.open_ended else "checked"
    parts = [f'<article class="{kind}" id="{_slug(exercise)}">', markdown(exercise.prompt)]
    for cell in exercise.solution:
        parts += ["<h4>Solution</h4>", code(cell)]
        if cell.get("outputs"):
            parts += ["<h4>Its output</h4>", outputs(cell)]
    for cell in exercise.checks:
        parts += ["<h4>Self-check</h4>", code(cell), outputs(cell, "check")]
    for cell in exercise.explore:
        parts += ["<h4>The cell students change</h4>", code(cell)]
        if cell.get("outputs"):
            parts += ["<h4>As given</h4>", outputs(cell)]
    for cell in exercise.notes:
        parts += [f'<div class="note">{markdown(cell.source)}</div>']
    parts.append("</article>")
    return "\n".join(parts)


def handout(notebooks: list[Path]) -> str:
    """The whole handout as text (deterministic: it depends only on the notebooks)."""
    body, contents = [], []
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        title = notebook.cells[0].source.splitlines()[0].removeprefix("# ").strip()
        found = exercises(notebook, path.stem)
        contents.append(
            f'<li><a href="#{path.stem}">{html.escape(title)}</a>: '
            + ", ".join(
                f'<a href="#{_slug(e)}">{html.escape(e.title.split(" — ")[0])}</a>' for e in found
            )
            + "</li>"
        )
        body.append(f'<section id="{path.stem}"><h2>{html.escape(title)}</h2>')
        body.append(f"<p>From <code>notebooks/{html.escape(path.name)}</code>.</p>")
        body += [article(e) for e in found]
        body.append("</section>")
    count = sum(len(exercises(nbformat.read(p, as_version=4), p.stem)) for p in notebooks)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            '<head><meta charset="utf-8">',
            "<title>cramplab: solutions to the exercises (for teachers)</title>",
            f"<style>{STYLE}</style></head>",
            "<body>",
            "<h1>cramplab: solutions to the exercises</h1>",
            "<p><strong>For teachers.</strong> Every exercise of the course with its worked "
            "solution, the solution's output and what the self-check prints for it, taken "
            "from the instructor edition (<code>notebooks/</code>) by <code>make solutions"
            f"</code>: {count} exercises in {len(notebooks)} notebooks. Open-ended "
            "<em>explore</em> exercises have no self-check; their instructor notes say what "
            "students should find.</p>",
            f"<p><em>{html.escape(DISCLAIMER)}</em></p>",
            "<nav><ul>",
            *contents,
            "</ul></nav>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def write_handout(target: Path, source: Path | None = None) -> Path:
    text = handout(course_notebooks(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        clone = find_clone(command="make solutions")
        target = Path(args[0]) if args else clone.root / OUTPUT
        written = write_handout(target, clone.notebooks)
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"solutions handout: {written} (open it in a browser; it holds the solutions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
