#!/usr/bin/env bash
# Runs before `npm test` (pretest): what the tests drive that npm does not install, installed when missing on a
# Debian machine where this runs as root (or with password-less sudo). Each prerequisite that is still missing
# afterwards is one line on stderr, and the exit status is 1; with everything present it prints nothing.
#
#   chromium        the browser test drives Debian's Chromium through playwright-core (never a downloaded browser)
#   docker-compose  validates docker-compose.yml without a Docker engine
#   redis-server    the Redis tests start private servers on free ports
#   git             the Docker image test builds from a clean export of HEAD
#
# CHROMIUM_PATH moves Chromium (default /usr/bin/chromium), as it does for the browser test.
set -uo pipefail

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"

why() {
  case "$1" in
    chromium) echo "Chromium at $chromium_path (the browser test drives it)" ;;
    docker-compose) echo "docker-compose (the packaging test validates docker-compose.yml with it)" ;;
    redis-server) echo "redis-server (the Redis tests start private servers)" ;;
    git) echo "git (the Docker image test builds from a clean export of HEAD)" ;;
  esac
}

missing_now() {
  local missing=()
  [ -x "$chromium_path" ] || missing+=(chromium)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v git >/dev/null 2>&1 || missing+=(git)
  echo "${missing[@]}"
}

read -r -a missing <<<"$(missing_now)"
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    for package in "${missing[@]}"; do
      echo "npm test needs $(why "$package"): install it (as root: apt-get install -y $package) and rerun." >&2
    done
    exit 1
  fi
fi

echo "Installing the Debian packages the tests need: ${missing[*]} (once)"
log="${TMPDIR:-/tmp}/ensure-test-deps.$$.log"
if ! { "${as_root[@]}" apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
  >"$log" 2>&1; then
  failed=" (apt-get failed, see $log)"
else
  failed=""
fi

read -r -a still <<<"$(missing_now)"
[ ${#still[@]} -eq 0 ] && exit 0
for package in "${still[@]}"; do
  echo "npm test needs $(why "$package"): apt-get install $package did not install it$failed; install it and rerun." >&2
done
exit 1
