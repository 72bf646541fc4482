"""JupyterLab in Chromium: every notebook of both editions opens cleanly, and one runs clean.

The server is started with `make lab`'s own command line (cramplab_tools.lab.command), on a free
localhost port with a login token, over a copy of both editions in a temporary folder: its
config, data, runtime, workspace and settings folders are there too, so JupyterLab writes
nothing into the repository or the user's home. At the end it is stopped by its process id, and
the kernels it started must be gone with it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest
from repo import CLONE

from browser.support import PAGE_TEXT, shown, tagged_lines
from cramplab_tools.editions import INSTRUCTOR, SOLUTION
from cramplab_tools.lab import command as lab_command
from cramplab_tools.notebooks import course_notebooks

pytestmark = pytest.mark.browser

EDITIONS = {"instructor": CLONE.notebooks, "student": CLONE.student}
NAMES = [path.name for path in course_notebooks(CLONE.notebooks)]
# Restart Kernel and Run All, as a student's first run: the student edition's first notebook
# (all exercises unanswered; the self-checks must say so and let the run carry on).
RUN_ALL = "student/00_start_here.ipynb"
SERVER_START_S = 90
PAGE_TIMEOUT_MS = 90_000

# Lab settings that keep the page quiet and offline.
USER_SETTINGS = {
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "docmanager-extension/plugin": {"autosave": False},
}
SERVER_CONFIG = {
    "LabApp": {
        "news_url": None,  # no announcements feed
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "extension_manager": "readonly",  # no PyPI queries from the extension manager
        "expose_app_in_browser": True,  # window.jupyterapp: the test opens documents with it
    },
    "ServerApp": {"terminals_enabled": False},
}
PAGE_CONFIG = {
    "buildCheck": False,  # no "build recommended" dialog
    "buildAvailable": False,
    # The debugger logs "Could not restore the debugger state: Canceled future for
    # debug_request" as a console error when a kernel restarts; the course does not use it.
    "disabledExtensions": {"@jupyterlab/debugger-extension": True},
}


class LabServer:
    """JupyterLab over a temporary folder (`home`), on a free port with a known token."""

    def __init__(self, home: Path) -> None:
        self.home, self.token = home, secrets.token_hex(16)
        self.content = home / "content"
        config = home / "config"
        for name, settings in USER_SETTINGS.items():
            write_json(
                config / "lab/user-settings/@jupyterlab" / f"{name}.jupyterlab-settings", settings
            )
        write_json(config / "jupyter_server_config.json", SERVER_CONFIG)
        write_json(config / "labconfig/page_config.json", PAGE_CONFIG)
        self.env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(config),
            "JUPYTER_DATA_DIR": str(home / "data"),  # the notebook-signing key goes here
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),  # connection files, server info
            "JUPYTER_PLATFORM_DIRS": "1",
            "IPYTHONDIR": str(home / "ipython"),
            "CRAMPLAB_FIGURES_MODE": "off",  # Run All must not write or check figures
        }
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.shared_kernel = ""

    def command(self) -> list[str]:
        """make lab's command, serving the temporary folder and not notebooks/ or student/."""
        return [
            *lab_command(self.content),
            "--ServerApp.port=0",  # the OS picks a free port; the server's info file says which
            f"--IdentityProvider.token={self.token}",
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
        ]

    def start(self) -> None:
        with (self.home / "server.log").open("w") as log:  # Popen keeps its own descriptor
            self.process = subprocess.Popen(self.command(), env=self.env, stdout=log, stderr=log)
        info = self.home / "runtime" / f"jpserver-{self.process.pid}.json"
        deadline = time.monotonic() + SERVER_START_S
        while not (info.is_file() and info.read_text()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not start:\n{self.log()}")
            time.sleep(0.05)
        self.url = json.loads(info.read_text())["url"].rstrip("/")
        # The info file is written before the server listens: wait until the API answers.
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api", timeout=5).close()
                return
            except urllib.error.URLError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def log(self) -> str:
        return (self.home / "server.log").read_text(errors="replace")

    def api(self, path: str, data: dict | None = None):
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            data=None if data is None else json.dumps(data).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def kernel_processes(self) -> dict[str, psutil.Process]:
        """The server's kernels (/api/kernels) by id, each with its process (a server child)."""
        children = psutil.Process(self.process.pid).children(recursive=True)
        found = {}
        for kernel in self.api("kernels"):
            connection_file = f"kernel-{kernel['id']}.json"
            for child in children:
                if any(arg.endswith(connection_file) for arg in child.cmdline()):
                    found[kernel["id"]] = child
        return found

    def stop(self, timeout: float = 60) -> list[int]:
        """SIGTERM the server, which shuts its kernels down; kill by pid whatever outlives that.

        Not the kernels first: the server would see them die and restart them. Returns the
        process ids that had to be killed.
        """
        server = psutil.Process(self.process.pid)
        family = [server, *server.children(recursive=True)]
        server.send_signal(signal.SIGTERM)
        _, alive = psutil.wait_procs(family, timeout=timeout)
        for process in alive:
            process.kill()
        psutil.wait_procs(alive, timeout=5)
        self.process.wait(timeout=5)
        return [process.pid for process in alive]


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def copy_editions(content: Path) -> None:
    """Both committed editions into content/instructor and content/student."""
    for edition, folder in EDITIONS.items():
        notebooks = [path.name for path in course_notebooks(folder)]
        assert notebooks == NAMES, f"{folder.name}/ holds {notebooks}: run `make student`"
        shutil.copytree(folder, content / edition, ignore=shutil.ignore_patterns(".*"))


@pytest.fixture(scope="module")
def lab(browser, screenshots):
    # Not pytest's tmp_path: /tmp/pytest-of-USER is shared by every pytest run of the user,
    # and a concurrent run may delete it.
    home = Path(tempfile.mkdtemp(prefix="cramplab-lab-"))
    copy_editions(home / "content")
    server = LabServer(home)
    kernels, killed = {}, []
    try:
        server.start()
        # One kernel for every notebook the tests open: it boots while the page loads, and
        # spares starting fifteen kernels on two cores (Run All restarts it first anyway).
        server.shared_kernel = server.api("kernels", {"name": "python3"})["id"]
        yield server
        kernels = server.kernel_processes()
    finally:
        if server.process is not None:
            killed = server.stop()
            shutil.copyfile(home / "server.log", screenshots / "server.log")
        shutil.rmtree(home, ignore_errors=True)
    assert list(kernels) == [server.shared_kernel], f"kernels at the end: {kernels}"
    assert not killed, f"had to kill {killed}: they outlived the server's own shutdown"
    assert not any(process.is_running() for process in kernels.values())


@pytest.fixture(scope="module")
def lab_page(browser, lab, page_log):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.log = page_log(page, lab.url)
    page.goto(f"{lab.url}/lab?reset&token={lab.token}")  # ?reset: no saved workspace layout
    page.locator(".jp-DirListing-item").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.evaluate("() => { window.__panels = {}; }")
    problems = page.log.take()
    assert not problems, "\n".join(problems)
    yield page
    page.close()


OPEN = """async ([path, kernel]) => {
  const panel = await window.jupyterapp.commands.execute('docmanager:open', {path, kernel});
  await panel.context.ready;
  await panel.revealed;
  await Promise.all(panel.content.widgets.map(cell => cell.ready));
  // The session with the kernel too: a panel closed while its session is still being made
  // throws "Disposed" into the page.
  await panel.sessionContext.ready;
  window.__panels[path] = panel;
}"""

# Read from the models as well as the page: Lab skips rendering cells that are off-screen.
CELLS = """path => window.__panels[path].content.widgets.map(cell => ({
  collapsed: !!cell.node.querySelector('.jp-InputPlaceholder')
             && !cell.node.querySelector('.jp-InputArea-editor'),
  source: cell.model.sharedModel.getSource(),
  outputs: cell.model.type === 'code' ? cell.model.outputs.toJSON() : [],
}))"""

MERMAID_DONE = """path => [...window.__panels[path].node.querySelectorAll('.jp-RenderedMermaid')]
  .some(m => m.classList.contains('jp-mod-warning') || m.querySelector('img')?.complete)"""

# Lab 4 draws a diagram as <img src="data:image/svg+xml,...">: it must hold an SVG and load.
MERMAID = """path => [...window.__panels[path].node.querySelectorAll('.jp-RenderedMermaid')]
 .map(m => {
  const img = m.querySelector('img');
  return {warning: m.classList.contains('jp-mod-warning'), width: img ? img.naturalWidth : 0,
          svg: img && img.src.startsWith('data:image/svg+xml') ? decodeURIComponent(img.src) : ''};
})"""

KERNEL_IDLE = "path => window.__panels[path].sessionContext.session?.kernel?.status === 'idle'"

WATCH_RESTART = """path => {
  const panel = window.__panels[path];
  panel.__restarted = false;
  panel.sessionContext.statusChanged.connect((_, status) => {
    if (status === 'restarting' || status === 'starting') panel.__restarted = true;
  });
}"""

# Done: the kernel restarted and is idle, and every code cell ran in order from [1], or one
# failed (Run All stops at an error). The stored counts are 1..n already, hence the restart.
RUN_ALL_DONE = """path => {
  const panel = window.__panels[path];
  const code = panel.content.widgets.filter(cell => cell.model.type === 'code');
  const failed = code.some(
    cell => cell.model.outputs.toJSON().some(output => output.output_type === 'error'));
  const ran = code.every((cell, i) => cell.model.executionCount === i + 1);
  return panel.__restarted && (failed || ran)
         && panel.sessionContext.session?.kernel?.status === 'idle';
}"""

CLOSE = "path => { window.__panels[path].dispose(); delete window.__panels[path]; }"


def ui_problems(page) -> list[str]:
    problems = page.log.take()
    for dialog in page.locator(".jp-Dialog").all():
        problems.append(f"dialog: {dialog.text_content()}")
    for toast in page.locator(".Toastify__toast--error").all():
        problems.append(f"error notification: {toast.text_content()}")
    return problems


def expanded_collapsed_cells(cells: list[dict], notebook: nbformat.NotebookNode) -> list[str]:
    """Cells the file stores collapsed (source_hidden) that Lab shows open."""
    return [
        f"cell {index} is collapsed in the file but shown expanded"
        for index, (cell, stored) in enumerate(zip(cells, notebook.cells, strict=True))
        if stored.metadata.get("jupyter", {}).get("source_hidden") and not cell["collapsed"]
    ]


def cell_text(cell: dict) -> str:
    """A cell's source and the text of its outputs."""
    parts = [cell["source"]]
    for output in cell["outputs"]:
        parts.append("".join(output.get("text", "")))
        for kind in ("text/plain", "text/html", "text/markdown"):
            parts.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def error_outputs(cells: list[dict]) -> list[str]:
    found = []
    for index, cell in enumerate(cells):
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                found.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                found.append(f"cell {index}: stderr: {''.join(output['text'])[:300]}")
    return found


def test_restart_kernel_and_run_all(lab, lab_page, screenshots):
    lab_page.evaluate(OPEN, [RUN_ALL, {"id": lab.shared_kernel}])  # booted during page load
    # As a person would: wait for the kernel before restarting it.
    lab_page.wait_for_function(KERNEL_IDLE, arg=RUN_ALL, timeout=PAGE_TIMEOUT_MS, polling=100)
    lab_page.evaluate(WATCH_RESTART, RUN_ALL)
    lab_page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").click()
    lab_page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel and Run All Cells").click()
    lab_page.locator(".jp-Dialog .jp-mod-accept").click()
    lab_page.wait_for_function(RUN_ALL_DONE, arg=RUN_ALL, timeout=PAGE_TIMEOUT_MS, polling=100)
    cells = lab_page.evaluate(CELLS, RUN_ALL)
    lab_page.screenshot(path=str(screenshots / "run_all.png"))
    notebook = nbformat.read(lab.content / RUN_ALL, as_version=4)
    problems = ui_problems(lab_page) + error_outputs(cells)
    problems += expanded_collapsed_cells(cells, notebook)
    lab_page.evaluate(CLOSE, RUN_ALL)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("name", NAMES)
def test_notebook_opens_cleanly(lab, lab_page, screenshots, edition, name):
    path = f"{edition}/{name}"
    notebook = nbformat.read(lab.content / path, as_version=4)
    lab_page.evaluate(OPEN, [path, {"id": lab.shared_kernel}])
    has_mermaid = any("```mermaid" in cell.source for cell in notebook.cells)
    if has_mermaid:  # mermaid draws after the cells are ready
        lab_page.wait_for_function(MERMAID_DONE, arg=path, timeout=PAGE_TIMEOUT_MS, polling=100)
        shown_diagram = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMermaid"
        lab_page.locator(shown_diagram).first.scroll_into_view_if_needed()  # for the screenshot
    cells = lab_page.evaluate(CELLS, path)
    lab_page.screenshot(path=str(screenshots / f"{edition}_{name.removesuffix('.ipynb')}.png"))
    problems = ui_problems(lab_page)

    assert len(cells) == len(notebook.cells)
    problems += expanded_collapsed_cells(cells, notebook)
    if has_mermaid:
        diagrams = lab_page.evaluate(MERMAID, path)
        drawn = [d for d in diagrams if not d["warning"] and d["width"] and "<svg" in d["svg"]]
        if not diagrams or len(drawn) < len(diagrams):
            problems.append(f"mermaid did not render as an SVG diagram: {diagrams}")
    if edition == "student":
        # The page (every notebook opened before is closed again) and the models.
        text = "\n".join([lab_page.evaluate(PAGE_TEXT, None), *map(cell_text, cells)])
        secret = tagged_lines(EDITIONS["instructor"] / name, {SOLUTION, INSTRUCTOR})
        problems += [f"the student edition shows {line!r}" for line in shown(secret, text)]
    lab_page.evaluate(CLOSE, path)
    assert not problems, "\n".join(problems)
