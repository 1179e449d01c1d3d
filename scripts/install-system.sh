#!/usr/bin/env bash
# Install the Debian packages the test suite needs (MariaDB server and client tools, Redis,
# Chromium). Idempotent.
set -euo pipefail
need=()
command -v mariadbd >/dev/null || need+=(mariadb-server)
# the client tools: `mariadb` and `mariadb-dump` (backups)
command -v mariadb-dump >/dev/null || need+=(mariadb-client)
command -v redis-server >/dev/null || need+=(redis-server)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
