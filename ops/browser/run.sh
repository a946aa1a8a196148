#!/usr/bin/env bash
# Browser tests: the demo page and the browser client (/client.js) in real headless Chromium, driven by
# playwright-core, against `ops/bin/pigeon demo` nodes started on free loopback ports. Needs Node.js 20+
# and npm; installs Debian's chromium when /usr/bin/chromium is missing (as root, through apt-get) and
# the pinned packages from package-lock.json. Screenshots of the demo page go to target/screenshots.
# Ends with the summary lines "# pass N" and "# fail N"; exits non-zero when a test fails. Extra
# arguments go to `node --test` (e.g. --test-name-pattern=fallback).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser: installing Debian's chromium..." >&2
  sudo_if_needed=()
  ((EUID == 0)) || sudo_if_needed=(sudo)
  "${sudo_if_needed[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq chromium >/dev/null
fi

npm ci --no-audit --no-fund --loglevel=error >/dev/null

# Builds the launcher's jar now if it is stale, so that no test's readiness window pays for it.
"${ACCEPTANCE_LAUNCHER:-../bin/pigeon}" demo --help >/dev/null

# Each file starts its own demo and browser; two at a time keeps a 2-core machine responsive. The
# whole run is cut off after 5 minutes (it takes well under one).
mkdir -p target
status=0
timeout --kill-after=15 300 node --test --test-concurrency=2 --test-timeout=240000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=target/browser.tap \
  "$@" || status=$?
grep -E '^# (tests|pass|fail|cancelled|skipped|todo|duration_ms) ' target/browser.tap || true
exit "$status"
