#!/usr/bin/env bash
# Times the whole tcsim process from outside (start-up, YAML parsing, simulation, report) on a
# scenario, one replication on one thread, as the peer simulators were timed.
#
#   bench/time_tcsim.sh [TCSIM [CONFIG [RUNS]]]
#
#   TCSIM   the tcsim executable; default: the first of build/release/bin/tcsim,
#           build/release/models/tcsim, build/release/tcsim under the repository root, else
#           any tcsim found under build/ (release trees first)
#   CONFIG  scenario; default: configs/reference/mmc.yaml (reference model A)
#   RUNS    number of timed runs (default 5)
#
# Relative paths are taken from the current directory, then from the repository root.
# Environment: CUSTOMERS (default 1000000), the customers one run simulates, for customers/s.
# Each run is `tcsim run CONFIG --reps 1 --threads 1`, timed by /usr/bin/time -f '%e %M'
# (wall seconds to 10 ms, peak resident set size). Prints every run, then the best and median.
set -euo pipefail

die() {
  printf 'time_tcsim.sh: error: %s\n' "$*" >&2
  exit 2
}

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  usage
  exit 0
fi
if [ "$#" -gt 3 ]; then
  usage >&2
  exit 2
fi

# A path as given if it exists from here, else the same path under the repository root.
resolve() {
  local p=$1
  if [ -e "$p" ] || [ "${p#/}" != "$p" ]; then
    printf '%s\n' "$p"
  else
    printf '%s\n' "$root/$p"
  fi
}

find_tcsim() {
  local c
  for c in build/release/bin/tcsim build/release/models/tcsim build/release/tcsim; do
    if [ -f "$root/$c" ] && [ -x "$root/$c" ]; then
      printf '%s\n' "$root/$c"
      return 0
    fi
  done
  [ -d "$root/build" ] || return 1
  # Any other build tree: release-like ones first, then the rest, each in name order.
  c=$(find "$root/build" -type f -name tcsim -perm -u+x 2>/dev/null | sort |
    awk '/[Rr]elease/ { print; next }
         { rest[n++] = $0 }
         END { for (i = 0; i < n; i++) print rest[i] }' | head -n 1)
  [ -n "$c" ] || return 1
  printf '%s\n' "$c"
}

if [ -n "${1:-}" ]; then
  tcsim=$(resolve "$1")
  { [ -f "$tcsim" ] && [ -x "$tcsim" ]; } ||
    die "tcsim executable not found (or not executable): $1"
else
  tcsim=$(find_tcsim) ||
    die "no tcsim executable under $root/build; build it first:" \
      "cmake --preset release && cmake --build --preset release --target tcsim"
fi
config=$(resolve "${2:-configs/reference/mmc.yaml}")
if [ ! -f "$config" ] || [ ! -r "$config" ]; then
  die "config not found (or not readable): ${2:-$config}"
fi
runs=${3:-5}
case "$runs" in
  '' | *[!0-9]* | 0) die "RUNS must be a positive integer, got '$runs'" ;;
esac
customers=${CUSTOMERS:-1000000}
case "$customers" in
  '' | *[!0-9]* | 0) die "CUSTOMERS must be a positive integer, got '$customers'" ;;
esac
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package 'time')"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

version=$("$tcsim" --version 2>/dev/null || true)
printf 'tcsim:   %s%s\n' "$tcsim" "${version:+ ($version)}"
printf 'config:  %s\n' "$config"
printf 'command: tcsim run CONFIG --reps 1 --threads 1\n'
printf 'runs:    %s, %s customers each, %s cores\n\n' \
  "$runs" "$customers" "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')"

# customers/s for a wall time in seconds ("n/a" if it rounds to 0).
rate() {
  awk -v c="$customers" -v w="$1" 'BEGIN { if (w > 0) printf "%.0f", c / w; else printf "n/a" }'
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

printf '%-8s %10s %14s %14s\n' run wall_s peak_rss_MiB customers/s
: >"$tmp/results"
for i in $(seq 1 "$runs"); do
  if ! /usr/bin/time -f '%e %M' -o "$tmp/time" \
    "$tcsim" run "$config" --reps 1 --threads 1 >"$tmp/out" 2>"$tmp/err"; then
    printf 'time_tcsim.sh: error: run %s failed: %s run %s --reps 1 --threads 1\n' \
      "$i" "$tcsim" "$config" >&2
    cat "$tmp/err" >&2
    exit 1
  fi
  read -r wall rss < <(tail -n 1 "$tmp/time")
  printf '%s %s\n' "$wall" "$rss" >>"$tmp/results"
  printf '%-8s %10s %14s %14s\n' "$i" "$wall" "$(mib "$rss")" "$(rate "$wall")"
done

# Best (minimum) and median of one column of the results.
stat() {
  cut -d' ' -f"$1" "$tmp/results" | sort -g | awk '
    { v[NR] = $1 }
    END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s %s\n", v[1], m
    }'
}
read -r wall_best wall_median < <(stat 1)
read -r rss_best rss_median < <(stat 2)
printf '%-8s %10s %14s %14s\n' best "$wall_best" "$(mib "$rss_best")" "$(rate "$wall_best")"
printf '%-8s %10s %14s %14s\n' median "$wall_median" "$(mib "$rss_median")" "$(rate "$wall_median")"
