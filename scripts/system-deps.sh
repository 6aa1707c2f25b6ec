#!/usr/bin/env bash
# Installs the servers the test suite starts by itself, from Debian's packages, when they are missing.
set -euo pipefail
need=()
if [ "${1:-}" = "npm" ]; then
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
else
command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Missing system packages: ${need[*]} (install them with apt-get as root)" >&2
  exit 1
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
