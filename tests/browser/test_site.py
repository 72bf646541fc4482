"""The course website (make site), built fresh and browsed in Chromium page by page.

The site is built from the notebooks as they are now into a temporary folder, served on a free
localhost port, and every page is visited once; each check then reads what that visit found.
A second build must give the same files, byte for byte.
"""

from __future__ import annotations

import filecmp
import functools
import http.server
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest
from repo import CLONE

from browser.support import PAGE_TEXT, cannot_run, shown, tagged_lines
from cramplab_tools.editions import INSTRUCTOR
from cramplab_tools.notebooks import course_notebooks

pytestmark = pytest.mark.browser

NOTEBOOKS = course_notebooks(CLONE.notebooks)
MERMAID_TIMEOUT_MS = 90_000  # a bound on a wait (a busy machine draws slowly), not a speed test
BUILD_TIMEOUT_S = 300

COLLECT = """() => ({
  images: [...document.images].map(i => ({
    src: i.currentSrc || i.src, alt: i.getAttribute('alt'), width: i.naturalWidth,
    shown: i.checkVisibility()})),
  links: [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
    .map(e => e.href || e.src),
  ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.name),
})"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Module scripts need a JavaScript MIME type, and Python 3.11 may not know .mjs.
    extensions_map: ClassVar = {".mjs": "text/javascript", ".js": "text/javascript"}

    def log_message(self, *args) -> None:
        pass


@dataclass
class Crawl:
    """What the visits found: each page's images, links and ids, and problems by check."""

    base: str
    pages: dict[str, dict] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, check: str, messages: list[str]) -> None:
        self.problems.setdefault(check, []).extend(messages)

    def expect_none(self, check: str) -> None:
        if self.problems.get(check):
            pytest.fail("\n".join(self.problems[check]), pytrace=False)


class Build:
    """`make site`'s own command, into out, running in the background until wait()."""

    def __init__(self, out: Path) -> None:
        self.out, self.log = out, out.with_name(f"{out.name}.log")
        with self.log.open("w") as log:  # Popen keeps its own descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cramplab_tools", "site", str(out)],
                cwd=CLONE.root,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait(self) -> Path:
        status = self.process.wait(timeout=BUILD_TIMEOUT_S)
        assert status == 0, f"make site failed:\n{self.log.read_text()}"
        return self.out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def work_folder():
    # Not pytest's tmp_path: /tmp/pytest-of-USER is shared by every pytest run of the user,
    # and a concurrent run may delete it.
    folder = Path(tempfile.mkdtemp(prefix="cramplab-site-test-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def site(work_folder) -> Path:
    if importlib.util.find_spec("myst_nb") is None:
        cannot_run("the site needs Sphinx and MyST-NB: `make test` installs the locked ones")
    return Build(work_folder / "site").wait()


@pytest.fixture(scope="module")
def second_build(site, work_folder):
    """Another build, for test_two_builds_give_the_same_files: it starts once the first is
    done and runs while the crawl browses the first."""
    build = Build(work_folder / "again")
    yield build
    build.stop()


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def crawl(browser, site, second_build, base_url, screenshots, page_log) -> Crawl:
    """Visit every page once (one browser page, reused) and record what each check needs."""
    result = Crawl(base_url)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = page_log(page, base_url)
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    notes = [line for path in NOTEBOOKS for line in tagged_lines(path, {INSTRUCTOR})]
    for path in (p for p in paths if not p.startswith("_static/")):
        response = page.goto(base_url + path, wait_until="load")
        if response is None or response.status != 200:
            result.add("links", [f"{path}: HTTP {response and response.status}"])
            continue
        result.add("mermaid", [f"{path}: {problem}" for problem in mermaid_problems(page)])
        page.screenshot(path=str(screenshots / f"{path.removesuffix('.html')}.png"))
        result.pages[base_url + path] = page.evaluate(COLLECT)
        text = page.evaluate(PAGE_TEXT)
        result.add(
            "instructor",
            [f"{path} shows instructor notes: {line!r}" for line in shown(notes, text)],
        )
        result.add("solutions", [f"{path}: {problem}" for problem in closed_until_opened(page)])
        result.add("console", [f"{path}: {problem}" for problem in log.take()])
    page.close()
    return result


def mermaid_problems(page) -> list[str]:
    """Each diagram must become an SVG with nodes (mermaid draws it once it is in view)."""
    problems = []
    diagrams = page.locator("pre.mermaid")
    for index in range(diagrams.count()):
        diagram = diagrams.nth(index)
        diagram.scroll_into_view_if_needed()
        try:
            diagram.locator("svg g.node").first.wait_for(timeout=MERMAID_TIMEOUT_MS)
        except Exception:  # Playwright's TimeoutError: say which diagram, not where it waited
            problems.append(f"mermaid diagram {index} did not render as an SVG diagram")
    page.evaluate("() => window.scrollTo(0, 0)")
    return problems


def closed_until_opened(page) -> list[str]:
    """Solutions (code and output) and self-check verdicts are hidden until a click opens them."""
    problems = []
    hidden = {
        "solution": page.locator(".cell.tag_solution").locator(".cell_input, .cell_output"),
        "self-check verdict": page.locator(".cell.tag_self-check .cell_output"),
    }
    for what, parts in hidden.items():
        for index, part in enumerate(parts.all()):
            if part.is_visible():
                problems.append(f"{what} {index} is visible before it is opened")
    openers = {
        "solution": (".cell.tag_solution", ".cell_input"),
        "self-check verdict": (".cell.tag_self-check", ".cell_output"),
    }
    for what, (cell_selector, content) in openers.items():
        cells = page.locator(cell_selector)
        if cells.count():
            first = cells.first
            first.locator("summary").first.click()
            if not first.locator(content).first.is_visible():
                problems.append(f"the first {what} does not show when its dropdown is clicked")
    return problems


def test_every_page_was_visited(crawl):
    names = {url.removeprefix(crawl.base) for url in crawl.pages}
    assert {"index.html", "figures.html", "data/README.html"} <= names
    assert {n for n in names if n.startswith("notebooks/")} == {
        f"notebooks/{path.stem}.html" for path in NOTEBOOKS
    }


def test_no_console_errors_and_nothing_fetched_from_outside(crawl):
    crawl.expect_none("console")


def test_mermaid_diagrams_render(crawl):
    crawl.expect_none("mermaid")


def test_solutions_and_self_check_verdicts_stay_closed_until_opened(crawl):
    crawl.expect_none("solutions")


def test_no_instructor_notes(crawl):
    crawl.expect_none("instructor")


def test_images_load_and_have_alt_text(crawl):
    bad = []
    for url, found in crawl.pages.items():
        for image in found["images"]:
            if image["width"] == 0 and image["shown"]:
                bad.append(f"{url}: {image['src']} did not load")
            if not (image["alt"] or "").strip():
                bad.append(f"{url}: {image['src']} has no alt text")
    assert not bad, "\n".join(bad)


def test_internal_links_resolve(crawl):
    """Every same-site link, stylesheet, script and image answers 200; every #id exists."""
    bad, fetched = list(crawl.problems.get("links", [])), {}
    for url, found in crawl.pages.items():
        for link in found["links"]:
            if not link.startswith(crawl.base):
                continue
            target, _, fragment = link.partition("#")
            if target not in crawl.pages and target not in fetched:
                fetched[target] = status(target)
            if fetched.get(target, 200) != 200:
                bad.append(f"{url}: {link} -> HTTP {fetched[target]}")
            elif fragment and target in crawl.pages:
                if urllib.parse.unquote(fragment) not in crawl.pages[target]["ids"]:
                    bad.append(f"{url}: {link} -> no #{fragment} on that page")
    assert not bad, "\n".join(sorted(set(bad)))


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_builds_give_the_same_files(site, second_build):
    again = second_build.wait()
    files = sorted(p.relative_to(site) for p in site.rglob("*"))
    assert files == sorted(p.relative_to(again) for p in again.rglob("*"))
    regular = [f for f in files if (site / f).is_file()]
    _, differ, errors = filecmp.cmpfiles(site, again, regular, shallow=False)
    assert not differ and not errors, f"differ between two builds: {differ + errors}"
    stamps = {(site / f).stat().st_mtime for f in files} | {
        (again / f).stat().st_mtime for f in files
    }
    assert len(stamps) == 1, f"modification times vary: {sorted(stamps)[:5]}"
