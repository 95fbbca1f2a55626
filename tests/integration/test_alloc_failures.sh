#!/usr/bin/env bash
# Resource failures end cleanly. Allocation failures: PG_FAIL_ALLOC=N fails the
# Nth library allocation; for N through a whole small ingest each run exits 3
# with "out of memory" (or 0 once N is past the run's last allocation), leaves
# no output file behind, and (in the sanitizer build) leaks nothing and trips
# no check. Disk full (a file-size limit makes writes fail with EFBIG) and an
# output folder that cannot exist: exit 3, the previous output intact.
source "$(dirname "$0")/lib.sh"
D="$DATA/ingest"
args=(ingest --transactions "$D/good.csv" --transactions "$D/good.jsonl"
      --accounts "$D/accounts.csv" --watchlist "$D/watchlist.csv" --threads 1)
mkdir "$WORK/o"

run_n() { # N -> exit code in $rc
  rm -rf "$WORK/o"; mkdir "$WORK/o"
  set +e
  PG_FAIL_ALLOC=$1 timeout 60 "$PAYGRAPH" "${args[@]}" --out "$WORK/o/p.h5" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
}

# K: the allocation count of a successful run (the first N that no longer fails).
lo=1; hi=1
while run_n $hi; [ $rc -ne 0 ]; do lo=$hi; hi=$((hi * 2)); [ $hi -lt 100000 ] || fail "no end"; done
while [ $((hi - lo)) -gt 1 ]; do
  mid=$(((lo + hi) / 2)); run_n $mid
  if [ $rc -eq 0 ]; then hi=$mid; else lo=$mid; fi
done
K=$lo
[ $K -gt 50 ] || fail "only $K allocations in an ingest: is PG_FAIL_ALLOC honoured?"

# Every N up to 25, then a stride through the rest (all of them with PG_ALLOC_ALL=1).
stride=$(( ${PG_ALLOC_ALL:-0} == 1 ? 1 : (K / 30 > 1 ? K / 30 : 1) ))
tested=0
for ((n = 1; n <= K; n = (n < 25 ? n + 1 : n + stride))); do
  run_n $n
  [ $rc -eq 3 ] || [ $rc -eq 0 ] || { cat "$WORK/err"; fail "PG_FAIL_ALLOC=$n: exit $rc"; }
  if [ $rc -eq 3 ]; then
    grep -q "out of memory" "$WORK/err" || { cat "$WORK/err"; fail "PG_FAIL_ALLOC=$n: no 'out of memory'"; }
    [ -z "$(ls -A "$WORK/o")" ] || { ls -la "$WORK/o"; fail "PG_FAIL_ALLOC=$n left files behind"; }
  fi
  tested=$((tested + 1))
done
run_n $((K + 1))
[ $rc -eq 0 ] || fail "PG_FAIL_ALLOC=$((K + 1)) (past the last allocation): exit $rc"

# scan: a stride of about 30 failure points through a whole run on the same input.
sargs=(scan --transactions "$D/good.csv" --accounts "$D/accounts.csv" --watchlist "$D/watchlist.csv"
       --threads 1)
run_scan() {
  rm -rf "$WORK/o"; mkdir "$WORK/o"
  set +e
  PG_FAIL_ALLOC=$1 timeout 60 "$PAYGRAPH" "${sargs[@]}" --out "$WORK/o/scan" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
}
lo=1; hi=64
while run_scan $hi; [ $rc -ne 0 ]; do lo=$hi; hi=$((hi * 2)); [ $hi -lt 10000000 ] || fail "no end"; done
while [ $((hi - lo)) -gt 1 ]; do
  mid=$(((lo + hi) / 2)); run_scan $mid
  if [ $rc -eq 0 ]; then hi=$mid; else lo=$mid; fi
done
KS=$lo
for ((n = 1; n <= KS; n += (KS / 30 > 1 ? KS / 30 : 1))); do
  run_scan $n
  [ $rc -eq 3 ] || [ $rc -eq 0 ] || { cat "$WORK/err"; fail "scan PG_FAIL_ALLOC=$n: exit $rc"; }
  if [ $rc -eq 3 ]; then
    grep -q "out of memory" "$WORK/err" || { cat "$WORK/err"; fail "scan PG_FAIL_ALLOC=$n: no 'out of memory'"; }
    [ -z "$(ls -A "$WORK/o")" ] || { ls -laR "$WORK/o"; fail "scan PG_FAIL_ALLOC=$n left files behind"; }
  fi
done

# The same for pseudonymize (fewer allocations: every N).
printf '%s\n' 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef > "$WORK/k"
chmod 600 "$WORK/k"
for ((n = 1; ; n++)); do
  rm -rf "$WORK/o"; mkdir "$WORK/o"
  set +e
  PG_FAIL_ALLOC=$n timeout 60 "$PAYGRAPH" pseudonymize --key-file "$WORK/k" --in "$D/good.csv" \
    --out "$WORK/o/p.csv" --map "$WORK/o/m.csv" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  [ $rc -eq 0 ] && break
  [ $rc -eq 3 ] || { cat "$WORK/err"; fail "pseudonymize PG_FAIL_ALLOC=$n: exit $rc"; }
  [ -z "$(ls -A "$WORK/o")" ] || { ls -la "$WORK/o"; fail "pseudonymize PG_FAIL_ALLOC=$n left files"; }
  [ $n -lt 1000 ] || fail "pseudonymize never succeeds"
done

# Disk full: writes beyond a 20 KiB file-size limit fail (SIGXFSZ ignored: EFBIG).
rm -rf "$WORK/o"; mkdir "$WORK/o"
expect_exit 0 "$PAYGRAPH" ingest --transactions "$D/good.csv" --out "$WORK/o/p.h5" --compression 0
cp "$WORK/o/p.h5" "$WORK/before.h5"
set +e
(trap '' XFSZ; ulimit -f 20; exec "$PAYGRAPH" "${args[@]}" --compression 0 --out "$WORK/o/p.h5") \
  >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
[ $rc -eq 3 ] || { cat "$WORK/err"; fail "disk full: exit $rc, expected 3"; }
cmp "$WORK/o/p.h5" "$WORK/before.h5" || fail "disk full: the previous pool was changed"
[ "$(ls "$WORK/o")" = p.h5 ] || { ls -la "$WORK/o"; fail "disk full: temporary files left"; }
{ echo "txn_id,timestamp,amount,src_institution,src_account,dst_institution,dst_account"
  for i in $(seq 1 400); do echo "t$i,2026-03-01T10:00:00Z,1.00,Bank A,$i,Bank B,$((i + 1))"; done
} > "$WORK/many.csv"
set +e
(trap '' XFSZ; ulimit -f 4; exec "$PAYGRAPH" pseudonymize --key-file "$WORK/k" \
  --in "$WORK/many.csv" --out "$WORK/o/p.csv") >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
[ $rc -eq 3 ] || { cat "$WORK/err"; fail "pseudonymize, disk full: exit $rc, expected 3"; }
[ "$(ls "$WORK/o")" = p.h5 ] || { ls -la "$WORK/o"; fail "pseudonymize, disk full: files left"; }

# An output folder that cannot exist (its parent is a file): exit 3 naming it.
touch "$WORK/afile"
expect_exit 3 "$PAYGRAPH" ingest --transactions "$D/good.csv" --out "$WORK/afile/p.h5"
expect_in "$WORK/err" "afile/p.h5"
expect_exit 3 "$PAYGRAPH" pseudonymize --key-file "$WORK/k" --in "$D/good.csv" --out "$WORK/afile/p.csv"
expect_exit 3 "$PAYGRAPH" ingest --transactions "$D/good.csv" --out /dev/full/p.h5
# Memory budget: refused before parsing (exit 3, clear message); a large budget runs.
expect_exit 3 "$PAYGRAPH" ingest --transactions "$D/good.csv" --max-memory 1M --out "$WORK/o/m.h5"
expect_in "$WORK/err" "max-memory budget"
[ ! -e "$WORK/o/m.h5" ] || fail "an over-budget ingest wrote a pool"
expect_exit 3 "$PAYGRAPH" info "$WORK/o/p.h5" --max-memory 2M
expect_in "$WORK/err" "the pool and its graph needs about"
expect_exit 0 "$PAYGRAPH" info "$WORK/o/p.h5" --max-memory 1T
expect_in "$WORK/out" "memory estimate"
expect_exit 1 "$PAYGRAPH" info "$WORK/o/p.h5" --max-memory lots
echo "ok: $tested allocation failure points of $K (ingest), scan ($KS allocations), pseudonymize up to $n, disk full, bad folder"
