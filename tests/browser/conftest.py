"""Browser tests: Debian's Chromium, driven by Playwright for Python (pinned in the lock).

Never `playwright install`: it downloads a browser of its own, which these machines cannot
fetch. Without Chromium the browser tests skip, saying how to install it; in CI (CI=true) a
missing browser fails them instead (browser.support.cannot_run).

Screenshots go to build/screenshots/ (ignored by git), one folder per test module, so that a
failure can be looked at.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from repo import CLONE

from browser.support import CHROMIUM, PageLog, cannot_run, missing_browser

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI and containers run as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",  # else Chromium keeps calling Google's hosts
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = CLONE.root / "build" / "screenshots"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Without a browser, each test that needs one skips (in CI: fails) before its fixtures
    start, and pytest's summary folds them into one line with the reason."""
    if "browser" in item.fixturenames and (problem := missing_browser()):
        cannot_run(problem)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Chromium writes crash-report settings and a dconf cache under $HOME: a temp dir instead.
    with tempfile.TemporaryDirectory(prefix="cramplab-chromium-") as home, sync_playwright() as pw:
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_CACHE_HOME": f"{home}/cache",
        }
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def screenshots(request) -> Path:
    """build/screenshots/<site|lab>/, emptied first so that every file in it is from this run."""
    folder = SCREENSHOTS / request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="session")
def page_log():
    """page_log(page, origin) watches a page; its .take() returns what went wrong since."""
    return lambda page, origin: PageLog(origin).attach(page)
