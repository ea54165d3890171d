#!/usr/bin/env bash
# Makes sure the servers and the browser the test suite starts for itself are installed:
# redis-server, PostgreSQL, nats-server and Chromium (headless, driven by playwright-core), and
# valgrind, whose callgrind dumps the bench's instruction counts read. The
# tests start them on free ports in temporary directories; no system service is used. Installs
# them with apt-get when they are missing and we may (root, Debian-like).
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing test services: ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "please install: ${missing[*]} (the Redis, PostgreSQL and NATS tests start real servers; the browser tests start Chromium; the callgrind reader's test runs valgrind)" >&2
  exit 1
fi
