#!/usr/bin/env bash
# Parallel efficiency of `tcsim batch` under MPI from 1 to 2 ranks (one thread per rank), on
# bench/experiments/mpi_efficiency.yaml (240 two-year tasks of the example area): efficiency = T(1 rank) / (2 x T(2 ranks)).
#
#   bench/mpi_efficiency.sh [TCSIM [RUNS]]
#
#   TCSIM  a tcsim built with the mpi preset (default build/mpi/bin/tcsim)
#   RUNS   timed runs of each rank count (default 3); prints each, then the medians
# Also prints the cost per task and the size of a task's result message, the inputs of the
# estimate at 1,000 ranks in docs/cluster.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tcsim=${1:-$root/build/mpi/bin/tcsim}
runs=${2:-3}
experiment=$root/bench/experiments/mpi_efficiency.yaml
[ -x "$tcsim" ] || { echo "mpi_efficiency.sh: error: no tcsim at $tcsim (cmake --preset mpi && cmake --build --preset mpi)" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mpirun_flags=(--allow-run-as-root --oversubscribe --bind-to none)

time_run() {  # ranks -> wall seconds
  local out="$scratch/r$1.h5"
  rm -f "$out"
  local start end
  start=$(date +%s.%N)
  mpirun "${mpirun_flags[@]}" -np "$1" "$tcsim" batch "$experiment" --out "$out" --quiet --threads 1 >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {print b - a}'
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

one=(); two=()
for i in $(seq "$runs"); do
  t1=$(time_run 1); t2=$(time_run 2)
  one+=("$t1"); two+=("$t2")
  printf 'run %d: 1 rank %.2f s, 2 ranks %.2f s, efficiency %.1f%%\n' "$i" "$t1" "$t2" \
    "$(awk -v a="$t1" -v b="$t2" 'BEGIN {print 100 * a / (2 * b)}')"
done
m1=$(printf '%s\n' "${one[@]}" | median)
m2=$(printf '%s\n' "${two[@]}" | median)
printf 'median: 1 rank %.2f s, 2 ranks %.2f s, efficiency %.1f%%\n' "$m1" "$m2" \
  "$(awk -v a="$m1" -v b="$m2" 'BEGIN {print 100 * a / (2 * b)}')"
printf 'cost per task (1 rank): %.1f ms over 240 tasks\n' "$(awk -v a="$m1" 'BEGIN {print 1000 * a / 240}')"
# The size of one task's results as sent to rank 0 (summary metrics with their names): the
# journal of a single-task shard holds exactly that record plus its header.
"$tcsim" batch "$experiment" --shard 1/240 --out "$scratch/one.h5" --quiet >/dev/null
/usr/bin/python3 - "$scratch/one.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    metrics = [k for k in f["summary"] if k not in ("design_point", "replication")]
    names = sum(len(k) + len(f["summary"][k].attrs.get("units", "")) + 12 for k in metrics)
print(f"result message per task: {len(metrics)} metrics = {8 + 12 * len(metrics) + 36} bytes "
      f"of values, plus {names} bytes of names the first time a rank sends them")
PY
