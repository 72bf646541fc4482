"""Helpers of the browser tests: whether they can run here, what a page logged, and the text
a reader must not see.

Text is compared as plain words (lower case, letters and digits), so markdown markup, fact
markers and link targets in a cell's source do not hide a line that a page shows rendered.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from cramplab_tools.editions import tags

# Debian's package; CRAMPLAB_CHROMIUM names another Chromium (another distribution's path).
CHROMIUM = Path(os.environ.get("CRAMPLAB_CHROMIUM", "/usr/bin/chromium"))
INSTALL_HINT = "sudo apt-get install chromium"

COMMENT = re.compile(r"<!--.*?-->", re.S)  # fact markers and other invisible notes
LINK_TARGET = re.compile(r"\]\([^)]*\)")  # [text](target): only the text shows
MIN_WORDS = 4  # shorter lines ("answer = ...", "plt.show()") occur in ordinary lessons too

# A page's text with a space between text nodes: textContent runs words together across
# elements ("<p>a</p><p>b</p>" gives "ab").
PAGE_TEXT = """root => {
  const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.data);
  return parts.join(' ');
}"""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def cannot_run(problem: str) -> None:
    """Skip, saying why and how to fix it; in CI, fail: CI must run every browser test."""
    if in_ci():
        pytest.fail(f"CI=true, and a browser test cannot run: {problem}", pytrace=False)
    pytest.skip(problem)


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, in one line, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "browser tests need Playwright for Python: `make test` installs the locked one"
    if not CHROMIUM.is_file():
        return f"browser tests need Chromium at {CHROMIUM}: install it with `{INSTALL_HINT}`"
    return None


@dataclass
class PageLog:
    """What a page said that a test fails on: console errors, uncaught errors, and requests
    that leave the machine (the site and JupyterLab must work offline)."""

    origin: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def attach(self, page) -> PageLog:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("request", self._request)
        return self

    def _console(self, message) -> None:
        if message.type in ("error", "assert"):
            where = message.location.get("url", "")
            self.errors.append(f"console {message.type}: {message.text} ({where})")

    def _request(self, request) -> None:
        if not request.url.startswith((self.origin, "data:", "blob:")):
            self.outside.append(request.url)

    def take(self) -> list[str]:
        """Everything logged since the last take, as problems; the log starts empty again."""
        problems = self.errors + [f"request outside localhost: {url}" for url in self.outside]
        self.errors, self.outside = [], []
        return problems


def plain(text: str) -> str:
    text = LINK_TARGET.sub("]", COMMENT.sub(" ", text))
    return " ".join(re.findall(r"[0-9a-z]+", text.lower()))


def tagged_lines(notebook: Path, wanted: set[str]) -> list[str]:
    """The plain lines (MIN_WORDS words or more) of the cells tagged with any of wanted."""
    lines = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if tags(cell) & wanted:
            for line in cell.source.splitlines():
                words = plain(line)
                if len(words.split()) >= MIN_WORDS:
                    lines.append(words)
    return lines


def shown(lines: list[str], text: str) -> list[str]:
    """The lines that text contains, word for word."""
    padded = f" {plain(text)} "
    return [line for line in lines if f" {line} " in padded]
