#!/usr/bin/env bash
# Checks (and, as root with apt-get, installs) the Debian packages the app and its tests need.
#   bash scripts/system-deps.sh          # redis-server, postgresql, chromium (tests)
#   bash scripts/system-deps.sh redis    # redis-server only (npm start)
set -euo pipefail

want="${1:-all}"
case "$want" in
  all|redis) ;;
  *) echo "usage: $0 [redis]" >&2; exit 2 ;;
esac

missing=()

if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  missing+=(redis-server)
fi

if [ "$want" = all ]; then
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    missing+=(postgresql)
  fi
  if [ ! -x /usr/bin/chromium ]; then
    missing+=(chromium)
  fi
fi

[ "${#missing[@]}" -eq 0 ] && exit 0

install_cmd="DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo $install_cmd" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
# Keep the packages' maintainer scripts from starting system-wide redis/postgresql services:
# the tests start their own throwaway instances on free ports.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  made_policy=1
fi
cleanup() { if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

# Verify.
still=()
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then still+=(redis-server); fi
if [ "$want" = all ]; then
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || still+=(postgresql)
  [ -x /usr/bin/chromium ] || still+=(chromium)
fi
if [ "${#still[@]}" -ne 0 ]; then
  echo "Still missing after apt-get install: ${still[*]}" >&2
  exit 1
fi
