#!/usr/bin/env bash
# Warm start on updated data: a generated world's first D-10 days as the
# earlier pool, all D days as the updated one. Runs `paygraph communities`
# on the earlier pool, then on the updated pool cold and with --initial
# (the earlier result), for Leiden and Louvain, and prints for each the
# kernel time (median of the trials, as the command reports it), the
# modularity, and how much the partition agrees with the earlier one (NMI
# of the communities of the accounts in both pools, matched by key,
# arithmetic normalisation; needs h5py).
#
#   benchmarks/community/bench_warm_start.sh [--persons N] [--days D] [--seed S]
#                                            [--threads T] [--trials K] [--paygraph BIN]
#
# Data goes under $TMPDIR and is removed afterwards.
set -euo pipefail
persons=71000 days=90 seed=5 threads=2 trials=3
pg=build/paygraph
while [ $# -gt 0 ]; do
  case "$1" in
    --persons) persons=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --trials) trials=$2; shift 2 ;;
    --paygraph) pg=$2; shift 2 ;;
    *) echo "usage: $0 [--persons N] [--days D] [--seed S] [--threads T] [--trials K] [--paygraph BIN]" >&2
       exit 1 ;;
  esac
done
[ "$days" -gt 10 ] || { echo "$0: --days must exceed 10" >&2; exit 1; }
# the first python3 with h5py and numpy (a user's own python3 may lack the Debian packages)
PY=
for p in "$(command -v python3 || true)" /usr/bin/python3; do
  if [ -n "$p" ] && "$p" -c 'import h5py, numpy' 2>/dev/null; then PY=$p; break; fi
done
W=$(mktemp -d "${TMPDIR:-/tmp}/pgbench-warm.XXXXXX")
trap 'rm -rf "$W"' EXIT

"$pg" generate --out "$W/world" --persons "$persons" --days "$days" --seed "$seed" >/dev/null
# the world's rows are in time order: the earlier pool ends ten days before the last row's day
last=$(tail -n 1 "$W/world/transactions.csv" | cut -d, -f2 | cut -c1-10)
cut_day=$(date -u -d "$last - 10 days" +%F)
awk -F, -v cut="$cut_day" 'NR == 1 || $2 < cut' "$W/world/transactions.csv" > "$W/earlier.csv"
for p in earlier updated; do
  csv="$W/earlier.csv"
  [ "$p" = updated ] && csv="$W/world/transactions.csv"
  "$pg" ingest --transactions "$csv" --accounts "$W/world/accounts.csv" --out "$W/$p.h5" \
    --threads "$threads" 2>/dev/null | tail -n 1
done

# run NAME POOL ALGORITHM [--initial F]: median kernel time of the trials, and the last summary
run() {
  local name=$1 pool=$2 algo=$3; shift 3
  local times=()
  for k in $(seq 1 "$trials"); do
    OMP_WAIT_POLICY=passive "$pg" communities "$W/$pool.h5" --out "$W/$name.h5" --algorithm "$algo" \
      --threads "$threads" "$@" > "$W/$name.out"
    times+=("$(sed -n 's/^time *\([0-9.]*\) s/\1/p' "$W/$name.out")")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (trials + 1) / 2 ))p")
  printf '%-16s %-8s median %6.2f s (%s)  %s  %s\n' "$name" "$algo" "$median" "${times[*]}" \
    "$(sed -n 's/^quality *[0-9.]* (\(modularity [0-9.]*\))/\1/p' "$W/$name.out")" \
    "$(sed -n 's/^warm start *\([0-9]* of [0-9]* accounts\).*/matched \1/p' "$W/$name.out")"
}

for algo in leiden louvain; do
  run "$algo-earlier" earlier "$algo"
  run "$algo-cold" updated "$algo"
  run "$algo-warm" updated "$algo" --initial "$W/$algo-earlier.h5"
done

if [ -n "$PY" ]; then
  "$PY" - "$W" <<'PYEOF'
import sys, h5py, numpy as np
w = sys.argv[1]
def strings(f, name):
    b, o = f[name]["bytes"][:].tobytes(), f[name]["offsets"][:].tolist()
    return [b[o[i]:o[i + 1] - 1] for i in range(len(o) - 1)]
def communities(name):
    """Community by account key: account ids differ between pools, keys do not."""
    with h5py.File(f"{w}/{name}.h5", "r") as f:
        insts = strings(f, "institutions")
        keys = zip((insts[i] for i in f["account/institution"][:]), strings(f, "account/name"))
        return dict(zip(keys, f["account/community"][:]))
def nmi(x, y):
    keys = sorted(x.keys() & y.keys())
    _, a = np.unique([x[k] for k in keys], return_inverse=True)
    _, b = np.unique([y[k] for k in keys], return_inverse=True)
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1.0)
    joint /= len(keys)
    pa, pb = joint.sum(1), joint.sum(0)
    nz = joint > 0
    mi = (joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])).sum()
    h = lambda p: -(p[p > 0] * np.log(p[p > 0])).sum()
    return 2 * mi / (h(pa) + h(pb))
for algo in ("leiden", "louvain"):
    e = communities(f"{algo}-earlier")
    print(f"{algo}: NMI with the earlier partition (accounts in both), "
          f"cold {nmi(e, communities(algo + '-cold')):.3f}, "
          f"warm {nmi(e, communities(algo + '-warm')):.3f}")
PYEOF
else
  echo "(h5py not found: no NMI)"
fi
