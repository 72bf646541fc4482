"""Course notebooks: stored outputs leak nothing about the machine; the executor works."""

import getpass
import json
import re

import pytest

from cramplab.notebooks import course_notebooks
from cramplab.paths import NOTEBOOKS_DIR

NOTEBOOKS = course_notebooks()
LEAKS = {
    "home directory": re.compile(r"/root\b|/home/|/Users/|C:\\\\Users"),
    "temporary path": re.compile(r"/tmp/|/var/folders/"),
    "timestamp": re.compile(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d"),
}
USER = getpass.getuser()


def stored_text(path) -> list[str]:
    """Everything a notebook stores besides its source: outputs and metadata."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    texts = [json.dumps(notebook.get("metadata", {}))]
    for cell in notebook["cells"]:
        texts.append(json.dumps(cell.get("metadata", {})))
        for output in cell.get("outputs", []):
            kept = {k: v for k, v in output.items() if k != "data"}
            data = {k: v for k, v in output.get("data", {}).items() if not k.startswith("image/")}
            texts.append(json.dumps([kept, data]))
    return texts


def test_the_course_has_numbered_notebooks():
    assert NOTEBOOKS, f"no numbered notebooks in {NOTEBOOKS_DIR}"
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_do_not_leak_the_machine(path):
    for text in stored_text(path):
        for what, pattern in LEAKS.items():
            match = pattern.search(text)
            assert not match, f"{path.name} stores a {what}: {match.group(0)!r}"
        if len(USER) > 3:  # short names such as 'root' or 'dev' match ordinary words
            assert USER not in text, f"{path.name} stores the user name {USER!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_has_been_executed(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code" and c["source"]]
    unrun = [c["id"] for c in code if c["execution_count"] is None]
    assert not unrun, f"{path.name}: cells {unrun} have no stored outputs; run `make notebooks`"
