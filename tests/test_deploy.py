"""The deployment files in deploy/: safe by default, and sized by the recorded measurement.

* one machine (deploy/one-machine/jupyterhub_config.py, loaded here as JupyterHub loads it) and
  Kubernetes (deploy/kubernetes/values.yaml): a real login (NativeAuthenticator, signup needs the
  teacher's approval), HTTPS, idle culling, per-student memory and CPU limits, JupyterLab on the
  student edition pulled by nbgitpuller; never the test's shared password or a dummy login;
* their per-student numbers, and the README's sizing table, are what cramplab_tools.hubsizing
  makes of the class recorded in bench/hub.json (by `make bench`);
* no token, password, private key or other secret is committed anywhere in the repository.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml
from repo import CLONE
from traitlets.config.loader import PyFileConfigLoader

from cramplab_tools.hub import FIRST_NOTEBOOK, spawn_url
from cramplab_tools.hubsizing import markdown, quantity, size_class

DEPLOY = CLONE.root / "deploy"
ONE_MACHINE = DEPLOY / "one-machine" / "jupyterhub_config.py"
VALUES = DEPLOY / "kubernetes" / "values.yaml"
HUB_RESULTS = CLONE.bench / "hub.json"
README_START, README_END = "<!-- hub-sizing:start -->", "<!-- hub-sizing:end -->"
SETTINGS = {
    "CRAMPLAB_HUB_DOMAIN": "hub.example.edu",
    "CRAMPLAB_HUB_ADMIN": "teacher",
    "CRAMPLAB_COURSE_REPO": "https://github.com/OWNER/cramplab",
    "CRAMPLAB_COURSE_BRANCH": "main",
}


@pytest.fixture(scope="module")
def sizing():
    results = json.loads(HUB_RESULTS.read_text())
    return size_class(results["classes"][-1])


@pytest.fixture
def one_machine(monkeypatch):
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CRAMPLAB_HUB_PREFIX", raising=False)
    return PyFileConfigLoader(ONE_MACHINE.name, path=str(ONE_MACHINE.parent)).load_config()


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load(VALUES.read_text())


# --- one machine ----------------------------------------------------------------------------


def test_one_machine_logs_in_with_native_accounts_the_teacher_approves(one_machine):
    assert one_machine.JupyterHub.authenticator_class == "native"
    assert one_machine.NativeAuthenticator.open_signup is False
    assert one_machine.NativeAuthenticator.minimum_password_length >= 8
    assert one_machine.Authenticator.admin_users == {"teacher"}


def test_one_machine_serves_https_on_a_lets_encrypt_certificate(one_machine):
    hub = one_machine.JupyterHub
    assert hub.port == 443
    assert hub.ssl_cert == "/etc/letsencrypt/live/hub.example.edu/fullchain.pem"
    assert hub.ssl_key == "/etc/letsencrypt/live/hub.example.edu/privkey.pem"


def test_one_machine_culls_idle_servers_and_kernels(one_machine):
    (culler,) = one_machine.JupyterHub.services
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert "--timeout=3600" in culler["command"]
    (role,) = one_machine.JupyterHub.load_roles
    assert role["services"] == [culler["name"]] and "delete:servers" in role["scopes"]
    assert "--MappingKernelManager.cull_idle_timeout=1200" in one_machine.Spawner.args


def test_one_machine_gives_each_student_their_own_user_home_and_limits(one_machine, sizing):
    spawner = one_machine.SystemdSpawner
    assert one_machine.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert spawner.dynamic_users and spawner.isolate_tmp and spawner.disable_user_sudo
    assert spawner.mem_limit == quantity(sizing.memory_limit_mib)
    assert spawner.cpu_limit == sizing.cpu_limit


def test_one_machine_opens_jupyterlab_on_the_student_edition_pulled_by_nbgitpuller(one_machine):
    url = one_machine.Spawner.default_url
    assert url == spawn_url(SETTINGS["CRAMPLAB_COURSE_REPO"], "main")
    assert url.startswith("/git-pull?") and "lab%2Ftree%2Fcramplab%2Fstudent%2F00_start" in url
    assert one_machine.Spawner.cmd == ["/opt/cramplab-hub/venv/bin/jupyterhub-singleuser"]


def test_install_script_is_valid_bash_and_installs_what_the_config_uses():
    script = (DEPLOY / "one-machine" / "install.sh").read_text()
    subprocess.run(["bash", "-n", str(DEPLOY / "one-machine" / "install.sh")], check=True)
    for needed in ("requirements.lock", "deploy/proxy/package-lock.json", "npm ci", "certbot"):
        assert needed in script
    for name in SETTINGS:  # every setting the config reads, written to hub.env
        assert f"{name}=" in script
    service = (DEPLOY / "one-machine" / "cramplab-hub.service").read_text()
    assert "EnvironmentFile=/etc/cramplab-hub/hub.env" in service
    assert "-f /etc/cramplab-hub/jupyterhub_config.py" in service


def configurable_classes() -> dict:
    """The classes the deploy files configure, by the section name they use."""
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.proxy import ConfigurableHTTPProxy
    from jupyterhub.spawner import Spawner
    from nativeauthenticator import NativeAuthenticator
    from systemdspawner import SystemdSpawner

    classes = [
        JupyterHub, Authenticator, NativeAuthenticator, Spawner, SystemdSpawner,
        ConfigurableHTTPProxy,
    ]  # fmt: skip
    return {cls.__name__: cls for cls in classes}


def unknown_settings(sections: dict) -> list[str]:
    classes, unknown = configurable_classes(), []
    for section, settings in sections.items():
        cls = classes.get(section)
        if cls is None:
            unknown.append(f"{section} (no such class here)")
            continue
        names = set(cls.class_trait_names(config=True))
        unknown += [f"{section}.{name}" for name in settings if name not in names]
    return unknown


def test_every_one_machine_setting_is_one_the_locked_classes_know(one_machine):
    assert unknown_settings(one_machine) == []


# --- Kubernetes -----------------------------------------------------------------------------


def test_kubernetes_logs_in_with_native_accounts_the_teacher_approves(values):
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "native"
    assert config["NativeAuthenticator"]["open_signup"] is False
    assert config["Authenticator"]["admin_users"] == ["teacher"]


def test_every_kubernetes_hub_setting_is_one_the_locked_classes_know(values):
    # KubeSpawner is not installed here; the setting it gets (args) is every spawner's.
    sections = {**values["hub"]["config"]}
    sections["Spawner"] = sections.pop("KubeSpawner")
    assert unknown_settings(sections) == []


def test_kubernetes_serves_https_and_culls_idle_servers(values):
    assert values["proxy"]["https"]["enabled"] is True
    assert values["proxy"]["https"]["type"] == "letsencrypt"
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] == 3600
    args = values["hub"]["config"]["KubeSpawner"]["args"]
    assert "--MappingKernelManager.cull_idle_timeout=1200" in args


def test_kubernetes_guarantees_and_limits_are_the_measured_sizing(values, sizing):
    user = values["singleuser"]
    assert user["memory"] == {
        "guarantee": quantity(sizing.memory_guarantee_mib),
        "limit": quantity(sizing.memory_limit_mib),
    }
    assert user["cpu"] == {"guarantee": sizing.cpu_guarantee, "limit": sizing.cpu_limit}


def test_kubernetes_opens_jupyterlab_on_the_student_edition_pulled_by_nbgitpuller(values):
    assert values["singleuser"]["defaultUrl"] == spawn_url("https://github.com/OWNER/cramplab")
    assert FIRST_NOTEBOOK.startswith("student/")
    assert "repo2docker" in VALUES.read_text()  # the image comes from the Binder files


def test_deploy_files_never_use_a_test_login():
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and path.name not in ("package-lock.json",):
            text = path.read_text().lower()
            for login in ("dummy", "shared-password", "sharedpassword", "tmpauthenticator"):
                assert login not in text, f"{path.relative_to(CLONE.root)} mentions {login}"


# --- the recorded measurement ---------------------------------------------------------------


def test_the_recorded_class_ran_clean_and_is_at_least_the_hub_tests_size():
    results = json.loads(HUB_RESULTS.read_text())
    largest = results["classes"][-1]
    assert largest["students"] >= 8
    assert all(not measured["problems"] for measured in results["classes"])
    assert results["sizing"] == size_class(largest).as_dict()


def test_the_readme_shows_the_sizing_of_the_recorded_class(sizing):
    readme = (CLONE.root / "README.md").read_text()
    assert README_START in readme and README_END in readme
    block = readme.split(README_START, 1)[1].split(README_END, 1)[0]
    assert block.strip() == markdown(sizing).strip(), (
        "README's sizing table differs from bench/hub.json: paste the output of "
        "`python -m cramplab_tools.hubsizing`"
    )


# --- secrets --------------------------------------------------------------------------------

SECRET_PATTERNS = {
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "a token, secret or password with its value": re.compile(
        r"(?i)\b(?:\w+_)?(?:api_?token|auth_?token|access_?token|token|secret|"
        r"password|passwd|api_?key)\b[\"']?\s*[:=]\s*[\"']?"
        r"(?=[A-Za-z0-9_\-+/]*[0-9])[A-Za-z0-9_\-+/]{16,}"
    ),
    "a proxy token": re.compile(r"CONFIGPROXY_AUTH_TOKEN\s*=\s*\S"),
    "a GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
    "an AWS key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "a Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
}
SECRET_FILES = re.compile(r"(^|/)(jupyterhub_cookie_secret|jupyterhub\.sqlite|hub\.env|.*\.pem)$")


def repository_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=CLONE.root, capture_output=True, check=True,
    ).stdout  # fmt: skip
    return [name for name in listed.decode().split("\0") if name]


def test_no_token_or_secret_is_committed():
    if not (CLONE.root / ".git").exists():
        pytest.skip("needs a git checkout to know which files the repository holds")
    found = []
    for name in repository_files():
        if SECRET_FILES.search(name):
            found.append(f"{name}: a secret's file")
            continue
        path = CLONE.root / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, the handout: no text to leak
        for what, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}: {match.group(0)[:40]}")
    assert not found, "\n".join(found)


# Each made of pieces, so that this file holds none of them whole.
@pytest.mark.parametrize(
    "leak",
    [
        "c.SharedPasswordAuthenticator.user_pass" + 'word = "hunter2hunter2hunter2x9"',
        "api_tok" + "en: 0123456789abcdef0123456789abcdef",
        "CONFIGPROXY_AUTH_" + "TOKEN=abc",
        "-----BEGIN RSA " + "PRIVATE KEY-----",
        "token = gh" + "p_" + "a1" * 18,
    ],
)
def test_the_secret_check_catches_a_leak(leak):
    assert any(pattern.search(leak) for pattern in SECRET_PATTERNS.values())


@pytest.mark.parametrize(
    "harmless",
    [
        '{"name": "cramplab-class", "api_token": os.environ["CRAMPLAB_CLASS_ADMIN_TOKEN"]}',
        "--hash=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "password: the password you chose at signup",
        'data={"username": student.name, "password": self.password, "_xsrf": xsrf}',
    ],
)
def test_the_secret_check_leaves_code_and_hashes_alone(harmless):
    assert not any(pattern.search(harmless) for pattern in SECRET_PATTERNS.values())
