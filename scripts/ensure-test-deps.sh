#!/usr/bin/env bash
# Installs the Debian packages the tests drive when they are missing: Chromium (browser tests, driven by
# playwright-core; never a downloaded browser) and docker-compose (validates docker-compose.yml without a Docker
# engine). Runs before `npm test`; does nothing when both are present.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
  echo "The tests need the Debian packages: ${missing[*]}. Install them (apt-get install ${missing[*]}) and rerun." >&2
  exit 1
fi
echo "Installing the Debian packages the tests need: ${missing[*]} (once)"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
