#!/usr/bin/env bash
# Set up the course's JupyterHub on one fresh Debian 12 or Ubuntu 24.04 server, as root, from
# a clone of this repository:
#
#   sudo deploy/one-machine/install.sh DOMAIN ADMIN EMAIL [REPO] [BRANCH]
#
#   DOMAIN  the hub's name, already pointing at this server in DNS (e.g. hub.example.edu)
#   ADMIN   the teacher's user name on the hub (e.g. teacher)
#   EMAIL   the address Let's Encrypt writes to about the certificate
#   REPO    the course repository students pull (default: this clone's `origin`)
#   BRANCH  its branch (default: main)
#
# It installs Python, git, Node.js, npm and certbot from the distribution; the course's pinned
# environment (requirements.lock, hash-checked) and the cramplab package into
# /opt/cramplab-hub/venv; configurable-http-proxy (deploy/proxy, hash-checked by npm ci) into
# /opt/cramplab-hub/proxy; a certificate for DOMAIN (certbot, on port 80, renewed by certbot's
# timer, which restarts the hub); jupyterhub_config.py and hub.env into /etc/cramplab-hub; and
# the systemd service cramplab-hub. Ports 80 and 443 must be open. Running it again updates
# the environment and restarts the hub (students' servers keep running).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then echo "error: run it as root (sudo $0 ...)" >&2; exit 2; fi
if [ $# -lt 3 ]; then sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; fi
DOMAIN=$1 ADMIN=$2 EMAIL=$3
CLONE=$(cd "$(dirname "$0")/../.." && pwd)
REPO=${4:-$(git -C "$CLONE" remote get-url origin 2>/dev/null || true)}
BRANCH=${5:-main}
PREFIX=/opt/cramplab-hub ETC=/etc/cramplab-hub STATE=/var/lib/cramplab-hub
if [ -z "$REPO" ]; then echo "error: this clone has no origin remote: give REPO" >&2; exit 2; fi
case "$ADMIN" in [a-z]*) ;; *) echo "error: ADMIN must start with a lower-case letter" >&2; exit 2;; esac

echo "== packages from the distribution"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv git certbot >/dev/null
command -v node >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null
command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null

echo "== the course's environment in $PREFIX/venv"
mkdir -p "$PREFIX" "$ETC" "$STATE"
chmod 700 "$ETC" "$STATE"
[ -x "$PREFIX/venv/bin/python" ] || python3 -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --require-hashes -r "$CLONE/requirements.lock"
"$PREFIX/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$CLONE" "$CLONE/tools"

echo "== configurable-http-proxy in $PREFIX/proxy"
mkdir -p "$PREFIX/proxy"
cp "$CLONE/deploy/proxy/package.json" "$CLONE/deploy/proxy/package-lock.json" "$PREFIX/proxy/"
npm ci --prefix "$PREFIX/proxy" --omit=dev --no-audit --no-fund --loglevel=error >/dev/null

echo "== settings in $ETC"
install -m 600 "$CLONE/deploy/one-machine/jupyterhub_config.py" "$ETC/jupyterhub_config.py"
umask 077
cat > "$ETC/hub.env" <<ENV
CRAMPLAB_HUB_DOMAIN=$DOMAIN
CRAMPLAB_HUB_ADMIN=$ADMIN
CRAMPLAB_COURSE_REPO=$REPO
CRAMPLAB_COURSE_BRANCH=$BRANCH
CRAMPLAB_HUB_PREFIX=$PREFIX
ENV

echo "== HTTPS certificate for $DOMAIN (Let's Encrypt)"
if [ ! -e "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then
  certbot certonly --standalone --non-interactive --agree-tos -m "$EMAIL" -d "$DOMAIN" \
    --deploy-hook "systemctl restart cramplab-hub"
fi

echo "== the cramplab-hub service"
install -m 644 "$CLONE/deploy/one-machine/cramplab-hub.service" /etc/systemd/system/
systemctl daemon-reload
systemctl enable cramplab-hub >/dev/null
systemctl restart cramplab-hub

cat <<DONE

The hub is starting at https://$DOMAIN
1. Now, before anyone else: open https://$DOMAIN/hub/signup and sign up as '$ADMIN'.
2. Give students this link (it also works as their first login):
   $("$PREFIX/venv/bin/python" -m cramplab_tools.hub --hub "https://$DOMAIN" --repo "$REPO" --branch "$BRANCH")
3. Approve their accounts at https://$DOMAIN/hub/authorize after they sign up.
Logs: journalctl -u cramplab-hub
DONE
