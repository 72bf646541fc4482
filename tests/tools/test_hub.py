"""The link students get on a hub (cramplab_tools.hub, `make hub-link`)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from cramplab_tools import hub

REPO = "https://github.com/OWNER/cramplab"


def test_the_link_sends_each_student_to_nbgitpuller_in_their_own_server():
    link = hub.nbgitpuller_link("https://hub.example.edu/", REPO)
    assert link == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com"
        "%2FOWNER%2Fcramplab&branch=main&targetpath=cramplab&urlpath=lab%2Ftree%2Fcramplab"
        "%2Fstudent%2F00_start_here.ipynb"
    )


def test_the_server_page_pulls_the_course_and_opens_the_student_edition_in_jupyterlab():
    parts = urlsplit(hub.spawn_url(REPO, "autumn"))
    assert parts.path == "/git-pull"
    assert parse_qs(parts.query) == {
        "repo": [REPO],
        "branch": ["autumn"],
        "targetpath": ["cramplab"],
        "urlpath": ["lab/tree/cramplab/student/00_start_here.ipynb"],
    }


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("http://hub.example.edu", "plain http"),
        ("hub.example.edu", "the hub's address"),
        ("https://hub.example.edu/?next=x", "without"),
        ("ftp://hub.example.edu", "the hub's address"),
    ],
)
def test_a_hub_address_that_cannot_work_is_refused_saying_why(address, why):
    with pytest.raises(hub.LinkError, match=why):
        hub.nbgitpuller_link(address, REPO)


def test_plain_http_is_allowed_on_this_machine_only():
    assert hub.nbgitpuller_link("http://127.0.0.1:8000", REPO).startswith("http://127.0.0.1:8000/")


@pytest.mark.parametrize("repo", ["/work/cramplab", "git@github.com:OWNER/cramplab.git", ""])
def test_a_repository_students_servers_cannot_clone_is_refused(repo):
    with pytest.raises(hub.LinkError, match="REPO must be"):
        hub.nbgitpuller_link("https://hub.example.edu", repo)


def test_a_branch_name_with_spaces_is_refused():
    with pytest.raises(hub.LinkError, match="branch"):
        hub.nbgitpuller_link("https://hub.example.edu", REPO, "my branch")


@pytest.mark.parametrize(
    ("remote", "address"),
    [
        ("git@github.com:OWNER/cramplab.git", REPO),
        ("https://github.com/OWNER/cramplab.git", REPO),
        (REPO, REPO),
    ],
)
def test_an_ssh_remote_becomes_an_https_address(remote, address):
    assert hub.web_address(remote) == address


def test_the_command_prints_the_link(capsys):
    assert hub.main(["--hub", "https://hub.example.edu", "--repo", REPO]) == 0
    assert capsys.readouterr().out == hub.nbgitpuller_link("https://hub.example.edu", REPO) + "\n"


def test_the_command_asks_for_the_repository_when_the_clone_has_no_origin(monkeypatch, capsys):
    monkeypatch.setattr(hub, "origin_url", lambda: None)
    assert hub.main(["--hub", "https://hub.example.edu"]) == 2
    assert "REPO=https://github.com/OWNER/cramplab" in capsys.readouterr().err


def test_the_command_names_a_bad_address(capsys):
    assert hub.main(["--hub", "http://hub.example.edu", "--repo", REPO]) == 2
    assert capsys.readouterr().err.startswith(
        "error: HUB 'http://hub.example.edu' uses plain http"
    )
