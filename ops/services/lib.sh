# shellcheck shell=bash disable=SC2154 # `name` and `usage` come from the script that sources this file.
# Helpers shared by ops/bin/redis, ops/bin/cassandra and ops/bin/services (sourced, not run).
# Each script sets `name` (the prefix of its messages) and `usage` before sourcing this file.
# Messages go to stderr: stdout carries only what a command prints on purpose (a URL, an address).

log() { echo "$name: $*" >&2; }

die() {
  echo "$name: $*" >&2
  exit 1
}

bad_usage() {
  [[ $# -gt 0 ]] && echo "$name: $*" >&2
  echo "$usage" >&2
  exit 2
}

# Seconds since the epoch with millisecond precision, for the timings the scripts report.
now() { date +%s.%3N; }

elapsed_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

# The services are for tests on this machine: only loopback addresses (127.0.0.0/8).
require_loopback() {
  [[ "$1" =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] \
    || bad_usage "$2 must be a 127.x.x.x address, not '$1'"
}

require_port() {
  if ! [[ "$1" =~ ^[0-9]{1,5}$ ]] || ((10#$1 < 1 || 10#$1 > 65535)); then
    bad_usage "$2 must be a port number, not '$1'"
  fi
}

# The local JMX port of a Cassandra node on 127.x.y.N when none is given: 7099 + 100 * N (7199 on
# 127.0.0.1, 7299 on 127.0.0.2...), so nodes on different addresses never meet on one port.
default_jmx_port() { echo $((7099 + 100 * 10#${1##*.})); }

# Absolute form of a directory given on the command line, so that the scripts work from any cwd.
absolute_dir() { realpath -m -- "$1"; }

# True when something accepts TCP connections on host:port.
# shellcheck disable=SC2016 # $0 and $1 expand in the inner shell
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

# The pid recorded in a pid file when that process still runs and its command line contains
# `marker` (a recycled pid belongs to someone else); prints nothing otherwise.
live_pid() {
  local file="$1" marker="$2" pid
  [[ -s "$file" ]] || return 0
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"; then echo "$pid"; fi
}

# Polls `check` (a command) every `interval` seconds until it succeeds (0), until the process
# `pid` dies (1) or until `timeout` seconds have passed (2). An empty pid skips the death check.
wait_until() {
  local timeout="$1" interval="$2" pid="$3"
  shift 3
  local deadline=$((SECONDS + timeout))
  while ! "$@"; do
    [[ -n "$pid" ]] && process_gone "$pid" && return 1
    ((SECONDS < deadline)) || return 2
    sleep "$interval"
  done
}

# Ends process `pid`: SIGCONT first (a paused process never handles SIGTERM), then SIGTERM, then
# SIGKILL if it is still there after `grace` seconds. Returns once the process is gone.
terminate() {
  local pid="$1" grace="$2"
  kill -CONT "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_until "$grace" 0.1 "" process_gone "$pid"; then
    log "pid $pid still running after ${grace} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 10 0.1 "" process_gone "$pid" || die "pid $pid survived SIGKILL"
  fi
}

# True when the process is stopped by SIGSTOP (see the pause commands).
process_paused() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "${stat##*) }" == T* ]]
}

# A zombie counts as gone: its parent may not have reaped it yet, but it no longer runs. A main
# thread that has exited shows as a zombie too while other threads still run (a JVM shutting
# down): the process is gone only once it has no thread left but that one.
process_gone() {
  local stat threads
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  [[ "${stat##*) }" == Z* ]] || return 1
  threads="$(find "/proc/$1/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
  ((threads <= 1))
}

# Prints the last lines of each non-empty log file given, with its name.
show_logs() {
  local lines="$1" file
  shift
  for file in "$@"; do
    [[ -s "$file" ]] || continue
    echo "----- last $lines lines of $file -----" >&2
    tail -n "$lines" "$file" >&2
  done
}
