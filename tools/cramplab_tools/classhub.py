"""A class of simulated students on a real JupyterHub on this machine.

The hub test (tests/tools/test_classhub.py) and the hub section of `make bench` (cramplab_tools.hubbench)
both drive it. `ClassHub` starts JupyterHub (the locked version) on free localhost ports with its
configurable-http-proxy, a shared class password (for testing only: deploy/ never uses one) and
the local-process spawner, each student's server in its own home folder under the hub's working
folder. Students then act as a browser would, each with their own credentials:

* log in with the login form and ask the REST API for a token of their own (`login`);
* start their server through the REST API and wait until it is ready (`start_server`);
* pull the course with nbgitpuller from a local copy of the repository (`pull_course`);
* run a notebook in their own kernel, cell by cell, over the server's API and the kernel's
  websocket, as JupyterLab does (`run_notebook`): every error or stderr output is a problem.

Leaving the `with` block stops the hub and every process it started: the hub, its proxy, the
students' servers and their kernels. Each is remembered (pid and start time) while the hub runs,
and any still alive after the hub's own shutdown is ended by its process group, so nothing is
left behind even when a test fails; no other process on the machine is touched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from cramplab_tools.hub import COURSE_FOLDER, DEFAULT_BRANCH

PROXY_ENV = "CRAMPLAB_CHP"  # names another configurable-http-proxy
PROXY_NAME = "configurable-http-proxy"
PROXY_HINT = (
    "`make hub-proxy` installs it from the npm registry (it needs Node.js and npm: "
    "sudo apt-get install nodejs npm)"
)
NOTEBOOK = f"{COURSE_FOLDER}/student/03_food_sources.ipynb"
# Bounds, not expectations: a loaded 2-core machine starts 32 servers and kernels slowly. The
# test and the bench judge outcomes; these only stop a run that hangs.
START_TIMEOUT_S = 900
REQUEST_TIMEOUT_S = 900
STOP_TIMEOUT_S = 60
POLL_S = 0.25
LOG_TAIL_LINES = 40

T = TypeVar("T")


class ClassHubError(RuntimeError):
    """Something in the simulated class went wrong; the message names the student and step."""


# --- can it run here? -----------------------------------------------------------------------


def proxy_path() -> Path | None:
    """configurable-http-proxy: $CRAMPLAB_CHP, else `make hub-proxy`'s, else one on PATH."""
    if os.environ.get(PROXY_ENV):
        return Path(os.environ[PROXY_ENV])
    installed = Path(sys.prefix) / "share/cramplab/proxy/node_modules/.bin" / PROXY_NAME
    if installed.is_file():
        return installed
    found = shutil.which(PROXY_NAME)
    return Path(found) if found else None


def missing_hub() -> str | None:
    """Why a hub cannot run here, in one line, or None when it can."""
    for module in ("jupyterhub", "nbgitpuller", "requests", "websocket", "psutil"):
        try:
            __import__(module)
        except ImportError:
            return f"a hub needs the Python package {module!r}: `make test` installs the lock"
    proxy = proxy_path()
    if proxy is None or not proxy.is_file():
        where = f" at {proxy}" if proxy else ""
        return f"a hub needs JupyterHub's proxy, {PROXY_NAME}{where}: {PROXY_HINT}"
    if shutil.which("node") is None:
        return f"a hub needs Node.js to run {PROXY_NAME} (sudo apt-get install nodejs)"
    if shutil.which("git") is None:
        return "a hub needs git: nbgitpuller clones the course with it"
    return None


# --- the course repository the students pull ------------------------------------------------


def course_repository(clone_root: Path, destination: Path, branch: str = DEFAULT_BRANCH) -> str:
    """A bare repository holding the clone's committed HEAD as `branch`; its file:// URL.

    Fetched from the destination's side, so no hook of the source clone runs. What students
    pull is the last commit: uncommitted changes in the clone are not in it.
    """

    def git(*args: str) -> None:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ClassHubError(f"git {' '.join(args)} failed: {result.stderr.strip()}")

    git("init", "--quiet", "--bare", str(destination))
    git(
        "--git-dir",
        str(destination),
        "fetch",
        "--quiet",
        str(clone_root),
        f"+HEAD:refs/heads/{branch}",
    )
    git("--git-dir", str(destination), "symbolic-ref", "HEAD", f"refs/heads/{branch}")
    return destination.resolve().as_uri()


# --- processes ------------------------------------------------------------------------------


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB, from /proc/PID/smaps_rollup (Linux)."""
    values = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                values[key] = int(rest.split()[0])
    return values["Rss"], values["Pss"]


def cpu_seconds(process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now, all different (held open together while they are chosen)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def all_at_once(action: Callable[[T], object], items: Iterable[T]) -> list:
    """action(item) for every item at the same time (one thread each); every result, in order.

    A failure of one item does not stop the others; the first failure is raised once all are
    done, naming how many failed.
    """
    items = list(items)
    with ThreadPoolExecutor(max_workers=max(1, len(items))) as pool:
        futures = [pool.submit(action, item) for item in items]
        errors = [future.exception() for future in futures]
    failed = [error for error in errors if error is not None]
    if failed:
        if len(failed) > 1:
            raise ClassHubError(f"{len(failed)} of {len(items)} failed; the first: {failed[0]}")
        raise failed[0]
    return [future.result() for future in futures]


# --- the hub --------------------------------------------------------------------------------


# How often a student's kernel that died before running anything is started again.
KERNEL_START_RETRIES = 1


@dataclass
class Student:
    """One simulated student: a name, their own API token, and their server's processes."""

    name: str
    token: str = ""
    home: Path = Path()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}


@dataclass
class NotebookRun:
    """What one student's run of a notebook gave: the problems seen, and the kernel it used."""

    student: str
    cells: int = 0
    problems: list[str] = field(default_factory=list)
    session_id: str = ""
    restarts: int = 0  # kernels restarted because they died before their first cell ran


HUB_CONFIG = """\
# Written by cramplab_tools.classhub for a simulated class on this machine. FOR TESTING ONLY:
# a shared class password and local processes with no isolation between users. The secrets
# come from the environment and are never written to disk here.
import os

c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {proxy_pid_file!r}
c.JupyterHub.db_url = "sqlite:///{database}"
c.JupyterHub.cookie_secret_file = {cookie_secret_file!r}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["CRAMPLAB_CLASS_PASSWORD"]
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {server_args!r}
c.Spawner.default_url = {default_url!r}
c.Spawner.start_timeout = {start_timeout}
c.Spawner.http_timeout = {start_timeout}
c.JupyterHub.services = [
    {{"name": "cramplab-class", "api_token": os.environ["CRAMPLAB_CLASS_ADMIN_TOKEN"]}}
]
c.JupyterHub.load_roles = [
    {{
        "name": "cramplab-class",
        "services": ["cramplab-class"],
        "scopes": ["admin:users", "admin:servers", "access:servers"],
    }}
]
"""


class ClassHub:
    """JupyterHub with a simulated class, in `workdir` (which it fills: config, log, homes)."""

    def __init__(self, workdir: Path, course_repo: str, proxy: Path | None = None) -> None:
        self.workdir = workdir.resolve()
        self.homes = self.workdir / "home"
        self.course_repo = course_repo
        self.proxy = proxy or proxy_path()
        self.password = secrets.token_urlsafe(24)
        self.admin_token = secrets.token_hex(32)
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "jupyterhub.log"
        self._seen: dict[int, float] = {}  # pid -> start time of every process the hub started
        self._seen_lock = threading.Lock()
        self._watching = threading.Event()
        self._watcher: threading.Thread | None = None

    # -- start and stop --

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ClassHub:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def config_text(self, hub_port: int, proxy_api_port: int) -> str:
        bin_dir = Path(sys.executable).parent
        server_args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        return HUB_CONFIG.format(
            port=self.port,
            hub_port=hub_port,
            proxy_api_port=proxy_api_port,
            proxy=str(self.proxy),
            proxy_pid_file=str(self.workdir / "proxy.pid"),
            database=self.workdir / "jupyterhub.sqlite",
            cookie_secret_file=str(self.workdir / "jupyterhub_cookie_secret"),
            homes=str(self.homes),
            singleuser=str(bin_dir / "jupyterhub-singleuser"),
            server_args=server_args,
            default_url=f"/lab/tree/{COURSE_FOLDER}/student/00_start_here.ipynb",
            start_timeout=START_TIMEOUT_S,
        )

    def start(self) -> None:
        import requests

        if self.proxy is None:
            raise ClassHubError(f"no {PROXY_NAME}: {PROXY_HINT}")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.homes.mkdir(exist_ok=True)
        self.port, hub_port, proxy_api_port = free_ports(3)
        config = self.workdir / "jupyterhub_config.py"
        config.write_text(self.config_text(hub_port, proxy_api_port), encoding="utf-8")
        bin_dir = str(Path(sys.executable).parent)
        env = {
            "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "/usr/bin:/bin")]),
            "HOME": str(self.workdir),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "CRAMPLAB_CLASS_PASSWORD": self.password,
            "CRAMPLAB_CLASS_ADMIN_TOKEN": self.admin_token,
        }
        with self.log_path.open("w") as log:  # Popen keeps its own descriptor
            self.process = subprocess.Popen(
                [str(Path(bin_dir) / "jupyterhub"), "-f", str(config)],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, ended as one
            )
        self._watching.set()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise ClassHubError(f"JupyterHub exited at start:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=10).ok:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise ClassHubError(f"JupyterHub did not answer:\n{self.log_tail()}")
            time.sleep(POLL_S)

    def _watch(self) -> None:
        while self._watching.is_set():
            self.remember()
            time.sleep(0.5)

    def remember(self) -> None:
        """Note every process the hub has started so far (they outlive it if it crashes)."""
        import psutil

        if self.process is None:
            return
        try:
            hub = psutil.Process(self.process.pid)
            found = [hub, *hub.children(recursive=True)]
        except psutil.Error:
            return
        with self._seen_lock:
            for process in found:
                try:
                    self._seen.setdefault(process.pid, process.create_time())
                except psutil.Error:
                    pass

    def leftovers(self) -> list:
        """The processes this hub started that are still running."""
        import psutil

        alive = []
        with self._seen_lock:
            seen = dict(self._seen)
        for pid, started in seen.items():
            try:
                process = psutil.Process(pid)
                if process.create_time() == started and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
            except psutil.Error:
                pass
        return alive

    def stop(self) -> list[str]:
        """Stop the hub (which stops the servers, kernels and proxy), then end any process it
        started that is still there, by its process group. Returns what had to be ended so."""
        import psutil

        if self.process is None:
            return []
        self.remember()
        self._watching.clear()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the hub's own group: the hub alone
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        ended = []
        for sig in (signal.SIGTERM, signal.SIGKILL):
            alive = self.leftovers()
            for process in alive:
                try:
                    ended.append(f"{process.pid} {' '.join(process.cmdline())[:120]}")
                    os.killpg(os.getpgid(process.pid), sig)
                except (ProcessLookupError, psutil.Error):
                    pass
            psutil.wait_procs(alive, timeout=10)
        self.process = None
        return sorted(set(ended))

    def log_tail(self) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-LOG_TAIL_LINES:])

    # -- a student's steps --

    def student(self, name: str) -> Student:
        return Student(name=name, home=self.homes / name)

    def login(self, student: Student) -> Student:
        """The login form with the class password, then a token of the student's own."""
        import requests

        with requests.Session() as browser:
            browser.get(f"{self.url}/hub/login", timeout=REQUEST_TIMEOUT_S).raise_for_status()
            xsrf = cookie(browser, "_xsrf")
            answer = browser.post(
                f"{self.url}/hub/login",
                data={"username": student.name, "password": self.password, "_xsrf": xsrf},
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT_S,
            )
            if answer.status_code != 302 or "jupyterhub-session-id" not in cookie_names(browser):
                raise ClassHubError(f"{student.name}: login answered {answer.status_code}")
            answer = browser.post(
                f"{self.url}/hub/api/users/{student.name}/tokens",
                json={"note": "cramplab simulated class", "expires_in": 3 * 3600},
                headers={"X-XSRFToken": cookie(browser, "_xsrf")},
                timeout=REQUEST_TIMEOUT_S,
            )
        if answer.status_code != 201:
            raise ClassHubError(f"{student.name}: token request answered {answer.status_code}")
        student.token = answer.json()["token"]
        return student

    def api(self, student: Student, method: str, path: str, **kwargs):
        """A request to the hub (`/hub/api/...`) or a server (`/user/...`) with the student's
        own token."""
        import requests

        kwargs.setdefault("timeout", REQUEST_TIMEOUT_S)
        return requests.request(method, f"{self.url}{path}", headers=student.headers, **kwargs)

    def start_server(self, student: Student) -> None:
        """Ask for the student's server and wait until the hub says it is ready."""
        answer = self.api(student, "POST", f"/hub/api/users/{student.name}/server")
        if answer.status_code not in (201, 202):
            raise ClassHubError(f"{student.name}: server start answered {answer.status_code}")
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            model = self.api(student, "GET", f"/hub/api/users/{student.name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if not server or (server.get("pending") is None and not server.get("ready")):
                raise ClassHubError(f"{student.name}: the server stopped while starting")
            if time.monotonic() > deadline:
                raise ClassHubError(f"{student.name}: the server was not ready in time")
            time.sleep(POLL_S)

    def pull_course(self, student: Student, branch: str = DEFAULT_BRANCH) -> list[str]:
        """nbgitpuller, as the student's link would start it; its messages, until finished."""
        answer = self.api(
            student,
            "GET",
            f"/user/{student.name}/git-pull/api",
            params={"repo": self.course_repo, "branch": branch, "targetpath": COURSE_FOLDER},
            stream=True,
        )
        if answer.status_code != 200:
            raise ClassHubError(f"{student.name}: nbgitpuller answered {answer.status_code}")
        messages = []
        with answer:
            for line in answer.iter_lines(decode_unicode=True):
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[len("data:") :])
                messages.append(event.get("output") or event.get("message") or "")
                if event.get("phase") == "error":
                    raise ClassHubError(
                        f"{student.name}: nbgitpuller failed: {event.get('message')}\n"
                        + "".join(messages)
                    )
                if event.get("phase") == "finished":
                    return messages
        raise ClassHubError(f"{student.name}: nbgitpuller stopped before it finished")

    def run_notebook(self, student: Student, path: str = NOTEBOOK) -> NotebookRun:
        """Every code cell of the notebook at `path` (in the student's home), in a new kernel
        of the student's server, as JupyterLab runs them: a session (the kernel starts in the
        notebook's folder), then one execute request per cell over the kernel's websocket."""
        import websocket

        run = NotebookRun(student=student.name)
        answer = self.api(student, "GET", f"/user/{student.name}/api/contents/{path}")
        if answer.status_code != 200:
            raise ClassHubError(f"{student.name}: {path} answered {answer.status_code}")
        cells = [c for c in answer.json()["content"]["cells"] if c["cell_type"] == "code"]
        for attempt in range(1 + KERNEL_START_RETRIES):
            try:
                self._run_cells(student, path, cells, run)
                break
            except websocket.WebSocketConnectionClosedException:
                # A kernel that dies before its first cell ran did not start (on a busy
                # machine another process can take the port it was given); restart it once, as
                # a student would. A kernel lost later is a real problem.
                if run.cells or attempt == KERNEL_START_RETRIES:
                    raise
                run.restarts += 1
                self.end_session(student, run.session_id, missing_ok=True)
        return run

    def _run_cells(self, student: Student, path: str, cells: list, run: NotebookRun) -> None:
        """One session for the notebook and its cells run over the kernel's websocket."""
        import websocket

        answer = self.api(
            student,
            "POST",
            f"/user/{student.name}/api/sessions",
            json={
                "path": path,
                "name": Path(path).name,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        if answer.status_code != 201:
            raise ClassHubError(f"{student.name}: new session answered {answer.status_code}")
        session = answer.json()
        run.session_id = session["id"]
        channels = (
            f"ws://127.0.0.1:{self.port}/user/{student.name}/api/kernels/"
            f"{session['kernel']['id']}/channels?session_id={uuid.uuid4().hex}"
        )
        socket_ = websocket.create_connection(
            channels,
            header=[f"Authorization: token {student.token}"],
            timeout=REQUEST_TIMEOUT_S,
        )
        try:
            for number, cell in enumerate(cells, start=1):
                source = (
                    "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                )
                problems = execute(socket_, source, session["id"], student.name)
                run.cells += 1
                run.problems += [f"code cell {number}: {problem}" for problem in problems]
                if problems:
                    break  # as Run All: the cells after an error are not run
        finally:
            socket_.close()

    def end_session(self, student: Student, session_id: str, *, missing_ok: bool = False) -> None:
        """Shut the notebook's kernel down, as closing it in JupyterLab with 'shut down' does."""
        answer = self.api(student, "DELETE", f"/user/{student.name}/api/sessions/{session_id}")
        if not (answer.status_code == 204 or (missing_ok and answer.status_code == 404)):
            raise ClassHubError(
                f"{student.name}: ending the session answered {answer.status_code}"
            )

    def processes(self) -> dict[str, tuple]:
        """{student: (server process, [kernel processes])}, from the hub's children."""
        import psutil

        found = {}
        if self.process is None:
            return found
        for child in psutil.Process(self.process.pid).children():
            try:
                user = child.environ().get("JUPYTERHUB_USER")
                if user:
                    found[user] = (child, child.children(recursive=True))
            except psutil.Error:
                pass
        return found

    def proxy_process(self):
        """The configurable-http-proxy process the hub started, or None."""
        import psutil

        for child in psutil.Process(self.process.pid).children():
            try:
                if any(PROXY_NAME in word for word in child.cmdline()):
                    return child
            except psutil.Error:
                pass
        return None


def execute(socket_, code: str, session: str, username: str) -> list[str]:
    """Run one cell's code over a kernel's websocket; the errors and stderr it printed."""
    message_id = uuid.uuid4().hex
    socket_.send(
        json.dumps(
            {
                "channel": "shell",
                "header": {
                    "msg_id": message_id,
                    "msg_type": "execute_request",
                    "session": session,
                    "username": username,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "buffers": [],
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    problems, status, idle = [], None, False
    while status is None or not idle:  # the reply, and the kernel idle again
        message = json.loads(socket_.recv())
        if message.get("parent_header", {}).get("msg_id") != message_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "execute_reply":
            status = content["status"]
            if status != "ok" and not problems:
                problems.append(
                    f"status {status}: {content.get('ename')}: {content.get('evalue')}"
                )
        elif kind == "error":
            problems.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "stream" and content.get("name") == "stderr":
            problems.append(f"stderr: {content['text'].strip()[:300]}")
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
    return problems


def cookie(browser, name: str) -> str:
    """A cookie's value whatever its path (the hub sets _xsrf more than once)."""
    values = [c.value for c in browser.cookies if c.name == name]
    if not values:
        raise ClassHubError(f"the hub set no {name} cookie")
    return values[-1]


def cookie_names(browser) -> set[str]:
    return {c.name for c in browser.cookies}
