"""`make hub-link HUB=https://...`: the one link a teacher hands students on a JupyterHub.

The link is nbgitpuller's: opened by a logged-in student, it pulls the course repository into
`~/cramplab` (cloning it the first time, merging new commits later while keeping the student's
own edits) and opens the student edition in JupyterLab. The deployment files in deploy/ use the
same address, without the hub's part, as the page every student server opens first
(`spawn_url`), so a student who simply logs in lands in the same place.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from urllib.parse import urlencode, urlsplit

from cramplab.paths import CloneRequired, find_clone

COURSE_FOLDER = "cramplab"  # where the course lands in each student's home
FIRST_NOTEBOOK = "student/00_start_here.ipynb"
DEFAULT_BRANCH = "main"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class LinkError(ValueError):
    """A hub or repository address that cannot make a working link; the message says why."""


def spawn_url(repo: str, branch: str = DEFAULT_BRANCH, notebook: str = FIRST_NOTEBOOK) -> str:
    """The path, inside a student's server, that pulls the course and opens `notebook`."""
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": COURSE_FOLDER,
            "urlpath": f"lab/tree/{COURSE_FOLDER}/{notebook}",
        }
    )
    return f"/git-pull?{query}"


def nbgitpuller_link(hub: str, repo: str, branch: str = DEFAULT_BRANCH) -> str:
    """The link for students: the hub sends each one to their own server's `spawn_url`."""
    hub = check_hub(hub)
    check_repo(repo)
    if not branch or any(ch.isspace() for ch in branch):
        raise LinkError(f"branch must be a branch name, not {branch!r}")
    return f"{hub}/hub/user-redirect{spawn_url(repo, branch)}"


def check_hub(hub: str) -> str:
    """The hub's address without a trailing slash; HTTPS unless the hub is this machine."""
    parts = urlsplit(hub.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise LinkError(
            f"HUB must be the hub's address, like https://hub.example.edu, not {hub!r}"
        )
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise LinkError(
            f"HUB {hub!r} uses plain http: students' passwords would cross the network "
            "unencrypted; give the hub's https:// address (deploy/ sets up HTTPS)"
        )
    if parts.query or parts.fragment:
        raise LinkError(f"HUB must be the hub's address alone, without ?query or #part: {hub!r}")
    return hub.strip().rstrip("/")


def check_repo(repo: str) -> None:
    parts = urlsplit(repo)
    if parts.scheme not in ("https", "http", "file") or not (parts.hostname or parts.path):
        raise LinkError(
            f"REPO must be the course repository's address that students' servers can clone, "
            f"like https://github.com/OWNER/cramplab, not {repo!r}"
        )


def origin_url() -> str | None:
    """The clone's `origin` remote as an https address, or None when there is none."""
    try:
        root = find_clone(command="make hub-link").root
    except CloneRequired:
        return None
    result = subprocess.run(
        ["git", "-C", str(root), "remote", "get-url", "origin"],
        capture_output=True,
        text=True,
        check=False,
    )
    url = result.stdout.strip()
    if result.returncode != 0 or not url:
        return None
    return web_address(url)


def web_address(url: str) -> str:
    """A git remote as the https address students' servers can clone without a key."""
    if url.startswith("git@") and ":" in url:  # git@github.com:owner/name.git
        host, path = url[len("git@") :].split(":", 1)
        url = f"https://{host}/{path}"
    return url.removesuffix(".git")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make hub-link HUB=https://... [REPO=...] [BRANCH=...]",
        description="Print the nbgitpuller link that gives each student the course on a hub.",
    )
    parser.add_argument("--hub", required=True, help="the hub's address (https://...)")
    parser.add_argument("--repo", default="", help="the course repository (default: origin)")
    parser.add_argument("--branch", default=DEFAULT_BRANCH, help="default: %(default)s")
    args = parser.parse_args(argv)
    repo = args.repo or origin_url()
    if not repo:
        print(
            "error: this clone has no `origin` remote to take the repository's address from; "
            "name it: make hub-link HUB=... REPO=https://github.com/OWNER/cramplab",
            file=sys.stderr,
        )
        return 2
    try:
        print(nbgitpuller_link(args.hub, repo, args.branch))
    except LinkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
