#!/usr/bin/env bash
# Prepares the host for a run: the static busybox our images are made from, and a Docker engine
# that answers. A laptop's running engine is left alone; on a bare Debian machine (CI, a fresh VM)
# Debian's docker.io is installed and dockerd started with an address pool of our own, so test
# networks never collide with a LAN.
set -euo pipefail

POOL_BASE="${POCKET_E2E_ADDRESS_POOL:-10.213.0.0/16}"
BRIDGE_IP="${POCKET_E2E_BRIDGE_IP:-10.212.0.1/24}"
LOG=/var/log/pocket-e2e-dockerd.log

say() { echo "[prepare-host] $*"; }
fail() { echo "[prepare-host] ERROR: $*" >&2; exit 1; }

engine_answers() { docker info >/dev/null 2>&1; }

apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "$1 is missing and there is no apt-get to install it: install $2 with your package manager, then rerun"
  [ "$(id -u)" = 0 ] || fail "$1 is missing and installing it needs root: run 'sudo apt-get install -y $2', then rerun"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || fail "apt-get update failed: check the machine's Debian mirror"
    APT_UPDATED=1
  fi
  say "installing Debian's $2"
  apt-get install -y -qq "$2" >/dev/null || fail "apt-get install $2 failed: run it by hand to see why"
}

# Our images start FROM scratch with a static busybox (sh, wget, ps), so no base image is pulled.
if [ -z "${POCKET_E2E_BUSYBOX:-}" ] && ! { busybox --list 2>/dev/null | grep -qx sh && ! ldd "$(command -v busybox)" >/dev/null 2>&1; }; then
  apt_install busybox busybox-static
fi

# Debian's Chromium renders the HTML report for the report check; optional on a laptop, installed
# where we may (root with apt: CI, fresh machines).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt_install "Chromium (report check)" chromium
  else
    say "no Chromium: the report check will be skipped (apt-get install chromium to run it)"
  fi
fi

if engine_answers; then
  say "engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null)); leaving it as it is"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  fail "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
fi

if [ "$(id -u)" != 0 ]; then
  fail "no Docker engine answers and installing one needs root: start Docker (e.g. 'sudo systemctl start docker') or run 'sudo npm run setup:docker'"
fi

if ! command -v dockerd >/dev/null 2>&1; then
  apt_install "a Docker engine" docker.io
fi
command -v docker >/dev/null 2>&1 || fail "dockerd is installed but no docker client is on PATH: install docker.io"

# Only write our config when the machine has none: someone else's daemon.json wins.
if [ ! -f /etc/docker/daemon.json ]; then
  mkdir -p /etc/docker
  cat > /etc/docker/daemon.json <<JSON
{
  "bip": "$BRIDGE_IP",
  "default-address-pools": [{ "base": "$POOL_BASE", "size": 24 }],
  "log-driver": "json-file",
  "log-opts": { "max-size": "20m", "max-file": "2" }
}
JSON
  say "wrote /etc/docker/daemon.json (networks from $POOL_BASE, bridge $BRIDGE_IP)"
fi

say "starting dockerd (log: $LOG)"
# setsid detaches it from this shell's process group, so Ctrl-C on a test run does not stop the engine.
setsid nohup dockerd >"$LOG" 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if engine_answers; then
    say "engine up ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 0.5
done
fail "dockerd did not answer within 30 s: see the end of $LOG ($(tail -n 1 "$LOG" 2>/dev/null))"
