# JupyterHub for a class on one machine: the cramplab course, JupyterLab on the student edition.
#
# install.sh (next to this file) sets it up on a fresh Debian 12 or Ubuntu 24.04 server: it
# installs the course's pinned environment (requirements.lock) and the cramplab package into
# /opt/cramplab-hub, configurable-http-proxy (deploy/proxy), an HTTPS certificate from Let's
# Encrypt, and a systemd service that runs JupyterHub with this file. The few settings that
# differ between schools come from /etc/cramplab-hub/hub.env, written by install.sh:
#
#   CRAMPLAB_HUB_DOMAIN    the hub's name, e.g. hub.example.edu (its certificate is for it)
#   CRAMPLAB_HUB_ADMIN     the teacher's user name (the hub's administrator)
#   CRAMPLAB_COURSE_REPO   the course repository students pull, e.g. https://github.com/OWNER/cramplab
#   CRAMPLAB_COURSE_BRANCH its branch (main)
#   CRAMPLAB_HUB_PREFIX    where install.sh put the environment (/opt/cramplab-hub)
#
# No secret is written here or in the repository: JupyterHub makes its cookie secret and the
# proxy's token itself on first start, in /var/lib/cramplab-hub, readable by root alone.
import os

from cramplab_tools.hub import spawn_url

c = get_config()  # noqa: F821  (JupyterHub provides it)

DOMAIN = os.environ["CRAMPLAB_HUB_DOMAIN"]
PREFIX = os.environ.get("CRAMPLAB_HUB_PREFIX", "/opt/cramplab-hub")
STATE = "/var/lib/cramplab-hub"

# Per student, from a measured class (bench/hub.json; the rule: cramplab_tools.hubsizing; the
# README's "Teaching a class on JupyterHub"). tests/test_deploy.py checks they agree.
MEMORY_LIMIT = "640M"
CPU_LIMIT = 1.0

# --- Login: NativeAuthenticator -------------------------------------------------------------
# Students sign up at https://DOMAIN/hub/signup with a name and password of their own; nobody
# gets in until the teacher approves the account at /hub/authorize. It needs no university
# service, which suits a teacher setting up a hub alone. A university single sign-on is better
# when there is one (oauthenticator for OAuth/OpenID Connect, jupyterhub-ltiauthenticator for
# an LMS such as Canvas or Moodle): swap these lines for its settings.
# The teacher must sign up as CRAMPLAB_HUB_ADMIN before giving the address to anyone: that name
# is approved (and made administrator) by this file alone.
c.JupyterHub.authenticator_class = "native"
c.Authenticator.admin_users = {os.environ["CRAMPLAB_HUB_ADMIN"]}
# Every *approved* account may log in (JupyterHub 5 asks for this to be said; approval stays).
c.Authenticator.allow_all = True
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 600
# Names that make valid system user and service names (the spawner below needs them).
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{1,30}$"

# --- HTTPS ------------------------------------------------------------------------------------
c.JupyterHub.ip = ""  # every interface
c.JupyterHub.port = 443
c.JupyterHub.ssl_cert = f"/etc/letsencrypt/live/{DOMAIN}/fullchain.pem"
c.JupyterHub.ssl_key = f"/etc/letsencrypt/live/{DOMAIN}/privkey.pem"
c.ConfigurableHTTPProxy.command = [f"{PREFIX}/proxy/node_modules/.bin/configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = f"{STATE}/proxy.pid"
c.JupyterHub.db_url = f"sqlite:///{STATE}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{STATE}/jupyterhub_cookie_secret"
# Restarting the hub (a renewed certificate, a changed setting) leaves students' servers running.
c.JupyterHub.cleanup_servers = False

# --- Each student's server: its own system user, home, memory and CPU -----------------------
# SystemdSpawner runs each server as a systemd service under a user made for it (DynamicUser),
# with its own home /var/lib/<name> that survives between sessions, its own /tmp, no devices and
# no sudo; systemd enforces the memory and CPU limits (MemoryMax, CPUQuota).
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.mem_limit = MEMORY_LIMIT
c.SystemdSpawner.cpu_limit = CPU_LIMIT
c.Spawner.cmd = [f"{PREFIX}/venv/bin/jupyterhub-singleuser"]
# The first page: nbgitpuller pulls the course into ~/cramplab (merging new commits, keeping the
# student's edits) and JupyterLab opens the student edition's first notebook.
c.Spawner.default_url = spawn_url(
    os.environ["CRAMPLAB_COURSE_REPO"], os.environ.get("CRAMPLAB_COURSE_BRANCH", "main")
)
c.Spawner.args = [
    # A notebook's kernel keeps running after its tab closes: end kernels idle for 20 minutes
    # (the memory limit leaves room for two at once).
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=120",
]

# --- Idle culling: stop servers nobody has used for an hour ---------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            f"{PREFIX}/venv/bin/python",
            "-m",
            "jupyterhub_idle_culler",
            "--timeout=3600",
            "--cull-every=300",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    }
]
