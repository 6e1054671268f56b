#!/usr/bin/env bash
# What the test suite needs from the system, found or installed: Debian's Chromium (the browser
# tests drive it through playwright-core, which never downloads a browser), valgrind (the
# instruction-count harness's smoke test) and redis-server (the cache tests run a real Redis,
# started by test/cache/redis-harness.ts). `npm test` runs this first (pretest) and .ci/run calls it
# too. Found on PATH, nothing is done; missing, it is installed with apt-get when we are root, and
# otherwise the missing packages are named with the command that installs them.
set -euo pipefail

missing=()
# The browser tests launch /usr/bin/chromium (or $CHROMIUM_PATH), not whatever is first on PATH.
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
# The cache tests spawn their own redis-server (found on PATH) on a free loopback port with no
# persistence. Installing Debian's redis-server package may also start the system redis service
# on 6379; nothing relies on it (or on its port being free), so it is left as Debian sets it up.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
((${#missing[@]} == 0)) && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ssr-pages tests need: ${missing[*]}. Install them (sudo apt-get install -y ${missing[*]}), or run npm test as root on Debian to have it done." >&2
  exit 1
fi
echo "ssr-pages: installing ${missing[*]} for the test suite (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
