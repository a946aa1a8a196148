#!/usr/bin/env bash
# Acceptance suite: starts `ops/bin/pigeon demo` and drives it from outside the JVM with standard
# clients (ws, eventsource, fetch). Needs Node.js 20+ and npm; installs the pinned packages from
# package-lock.json. Ends with the summary lines "# pass N" and "# fail N"; exits non-zero when a
# test fails. Extra arguments go to `node --test` (e.g. --test-name-pattern=SSE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

npm ci --no-audit --no-fund --loglevel=error >/dev/null

# Builds the launcher's jar now if it is stale, so that no test's readiness window pays for it.
"${ACCEPTANCE_LAUNCHER:-../bin/pigeon}" demo --help >/dev/null

# Each file starts its own demo; two at a time keeps a 2-core machine responsive. Every test and
# suite has its own timeout, --test-timeout bounds anything that slips through, and the whole run is
# cut off after 5 minutes (it takes about half a minute). Readable results go to the terminal; the
# TAP copy supplies the closing "# pass N" / "# fail N" lines.
mkdir -p target
status=0
timeout --kill-after=15 300 node --test --test-concurrency=2 --test-timeout=120000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=target/acceptance.tap \
  "$@" || status=$?
grep -E '^# (tests|pass|fail|cancelled|skipped|todo|duration_ms) ' target/acceptance.tap || true
exit "$status"
