#!/usr/bin/env bash
# End-to-end benchmark of `paygraph scan`: a generated world of N transaction
# rows (paygraph generate, sized as benchmarks/generate does), then CSV -> report, timed per stage from
# report.json (wall, CPU, peak RSS) and as a whole with /usr/bin/time.
#
#   benchmarks/scan/bench_scan.sh [--rows N] [--threads T] [--trials K] [--seed S]
#                                 [--paygraph BIN] [--verify]
#
# --verify scans again with 1 thread and checks that the report (apart from
# run metadata), results.h5 and the pictures are identical. Data goes under
# $TMPDIR (use /dev/shm to leave disk speed out) and is removed afterwards.
set -euo pipefail
rows=1000000 threads=0 trials=1 seed=1 verify=0
pg=build/paygraph
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --trials) trials=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --paygraph) pg=$2; shift 2 ;;
    --verify) verify=1; shift ;;
    *) echo "usage: $0 [--rows N] [--threads T] [--trials K] [--seed S] [--paygraph BIN] [--verify]" >&2; exit 1 ;;
  esac
done
PY=$(command -v python3 || echo /usr/bin/python3)
W=$(mktemp -d "${TMPDIR:-/tmp}/pgbench-scan.XXXXXX")
trap 'rm -rf "$W"' EXIT
targs=()
[ "$threads" -gt 0 ] && targs=(--threads "$threads")

t0=$(date +%s.%N)
# the world of benchmarks/generate: 90 days, 50 offender rings, 40 laundering groups,
# persons from the measured 1.56 ordinary rows per person per day; small worlds keep
# the 8000 persons the planted groups need and span fewer days instead
persons=$(( rows * 100 / 156 / 90 ))
days=90
if [ "$persons" -lt 8000 ]; then
  persons=8000
  days=$(( rows * 100 / 156 / persons ))
  [ "$days" -ge 7 ] || days=7
fi
"$pg" generate --out "$W/world" --persons "$persons" --days "$days" --rings 50 --laundering 40 \
  --seed "$seed" "${targs[@]}" >/dev/null
gen=$(echo "$(date +%s.%N) - $t0" | bc)
size=$(stat -c %s "$W/world/transactions.csv")
echo "world: $rows rows requested, $(( $(wc -l < "$W/world/transactions.csv") - 1 )) transactions, $size bytes CSV (generated in ${gen} s)"

walls=()
for k in $(seq 1 "$trials"); do
  rm -rf "$W/out"
  /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$pg" scan --transactions "$W/world/transactions.csv" \
    --accounts "$W/world/accounts.csv" --watchlist "$W/world/watchlist.csv" --out "$W/out" \
    --seed "$seed" "${targs[@]}" >/dev/null 2>"$W/log"
  read -r wall user sys maxkb < "$W/time"
  walls+=("$wall")
  echo "trial $k: wall $wall s, CPU $user + $sys s, peak RSS $(( maxkb / 1024 )) MiB"
  "$PY" - "$W/out/report.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["run"]["stages"]:
    print(f"  {s['name']:8s} wall {s['wall_seconds']:7.2f} s  cpu {s['cpu_seconds']:7.2f} s  peak {s['peak_rss_bytes'] / 2**20:8.1f} MiB")
print(f"  threads {r['run']['threads']}, {len(r['rings'])} rings, {r['graph']['vertices']} vertices, {r['graph']['edges']} edges")
PYEOF
done
printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {printf "wall: median %s s, min %s s over %d trial(s)\n", a[int((NR+1)/2)], a[1], NR}'

if [ "$verify" = 1 ]; then
  "$pg" scan --transactions "$W/world/transactions.csv" --accounts "$W/world/accounts.csv" \
    --watchlist "$W/world/watchlist.csv" --out "$W/one" --seed "$seed" --threads 1 >/dev/null 2>&1
  strip() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); r.pop("run"); print(json.dumps(r, sort_keys=True))' "$1"; }
  cmp <(strip "$W/out/report.json") <(strip "$W/one/report.json") && cmp "$W/out/results.h5" "$W/one/results.h5" \
    && diff -r "$W/out/rings" "$W/one/rings" >/dev/null && echo "verify: identical to the 1-thread run" \
    || { echo "verify: FAILED, results differ from the 1-thread run"; exit 1; }
fi
