#!/usr/bin/env bash
# Malformed inputs never crash, hang or vanish. For every file in tests/data/bad
# (expected exit codes in tests/data/bad/EXPECT, reasons in its README) and for
# large cases generated here: `paygraph ingest` exits as expected, a failure
# names the file (and the line for anything inside the file), --on-error=skip
# prints totals that reconcile (rows read = loaded + rejected), no pool is left
# behind by a failed run, and a run never ends by a signal or a timeout (the
# sanitizer build turns any memory error into an abort, which fails here).
source "$(dirname "$0")/lib.sh"
B="$DATA/bad"
GOOD="$DATA/ingest/good.csv"

# run_case NAME WANT_FAIL WANT_SKIP ARGS...: both error modes on one input.
run_case() {
  local name=$1 want_fail=$2 want_skip=$3; shift 3
  local base rc
  base=$(basename "$name")
  set +e
  timeout 60 "$PAYGRAPH" ingest "$@" --threads 2 --out "$WORK/p.h5" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  [ $rc -lt 124 ] || { cat "$WORK/err"; fail "$base: killed or timed out (exit $rc)"; }
  [ $rc -eq "$want_fail" ] || { cat "$WORK/err"; fail "$base: exit $rc, expected $want_fail"; }
  if [ $rc -ne 0 ]; then
    [ ! -e "$WORK/p.h5" ] || fail "$base: a failed ingest left a pool behind"
    case $base in
      gzip_*) grep -q -F "$base:" "$WORK/err" || { cat "$WORK/err"; fail "$base: no file: diagnostic"; } ;;
      *) grep -q -E "$(printf '%s' "$base" | sed 's/[.]/[.]/g'):[0-9]+:" "$WORK/err" ||
           { cat "$WORK/err"; fail "$base: no file:line: diagnostic"; } ;;
    esac
  fi
  rm -f "$WORK/p.h5"
  set +e
  timeout 60 "$PAYGRAPH" ingest "$@" --on-error skip --rejects "$WORK/rej.csv" --threads 2 \
    --out "$WORK/p.h5" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  [ $rc -lt 124 ] || { cat "$WORK/err"; fail "$base (skip): killed or timed out (exit $rc)"; }
  [ $rc -eq "$want_skip" ] || { cat "$WORK/err"; fail "$base (skip): exit $rc, expected $want_skip"; }
  if [ $rc -eq 0 ]; then
    local line r l j
    line=$(grep -o 'rows read [0-9]* = loaded [0-9]* + rejected [0-9]*' "$WORK/err") ||
      fail "$base (skip): no totals on stderr"
    read -r r l j < <(echo "$line" | sed -E 's/rows read ([0-9]+) = loaded ([0-9]+) \+ rejected ([0-9]+)/\1 \2 \3/')
    [ "$r" -eq $((l + j)) ] || fail "$base (skip): totals do not reconcile: $line"
    if [ "$j" -gt 0 ]; then
      [ "$(($(wc -l < "$WORK/rej.csv") - 1))" -ge "$j" ] || fail "$base (skip): rejects file short"
    fi
    # the pool written from whatever survived loads again (checked for odd bytes)
    case $base in nul_*|invalid_utf8*|binary_*)
      timeout 60 "$PAYGRAPH" info "$WORK/p.h5" --json >/dev/null 2>"$WORK/err" ||
        { cat "$WORK/err"; fail "$base (skip): the pool does not load"; } ;;
    esac
  fi
  rm -f "$WORK/p.h5" "$WORK/rej.csv"
}

n=0
while read -r file want_fail want_skip; do
  case $file in ''|'#'*) continue ;; esac
  case $file in
    accounts_*) args=(--transactions "$GOOD" --accounts "$B/$file") ;;
    watchlist_*) args=(--transactions "$GOOD" --watchlist "$B/$file") ;;
    *) args=(--transactions "$B/$file") ;;
  esac
  run_case "$file" "$want_fail" "$want_skip" "${args[@]}"
  n=$((n + 1))
done < "$B/EXPECT"
[ "$n" -ge 40 ] || fail "only $n cases in the corpus"
[ "$n" -eq "$(ls "$B" | grep -v -e '^EXPECT$' -e '^README.md$' | wc -l)" ] ||
  fail "a file in tests/data/bad has no line in EXPECT"

H='txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,dst_account'
ROW='t1,2026-03-01T10:00:00Z,10.00,AUD,Bank A,1,Bank B,2'
# A 10 MB field (a reference nobody should send): read, and the row is fine.
{ echo "$H,reference"; printf '%s,' "$ROW"; head -c 10485760 /dev/zero | tr '\0' 'x'; echo; echo "$ROW,ok"; } > "$WORK/big_field.csv"
run_case big_field.csv 0 0 --transactions "$WORK/big_field.csv"
# A 10 MB quoted field that never closes: a bad row, not a hang.
{ echo "$H,reference"; echo "$ROW,ok"; printf '%s,"' "$ROW"; head -c 10485760 /dev/zero | tr '\0' 'y'; echo; } > "$WORK/big_open_quote.csv"
run_case big_open_quote.csv 2 0 --transactions "$WORK/big_open_quote.csv"
# 100k columns in the header: refused (at most 4096 are read).
{ printf '%s' "$H"; seq -f ',c%g' 1 100000 | tr -d '\n'; echo; } > "$WORK/wide_header.csv"
run_case wide_header.csv 2 2 --transactions "$WORK/wide_header.csv"
# 100k fields in a row under a normal header: a bad row.
{ echo "$H"; echo "$ROW"; printf '%s' "$ROW"; head -c 100000 /dev/zero | tr '\0' ','; echo; } > "$WORK/wide_row.csv"
run_case wide_row.csv 2 0 --transactions "$WORK/wide_row.csv"
# 200k blank lines and one row.
{ echo "$H"; head -c 200000 /dev/zero | tr '\0' '\n'; echo "$ROW"; } > "$WORK/blank_lines.csv"
run_case blank_lines.csv 0 0 --transactions "$WORK/blank_lines.csv"

# Damaged pools: info exits 2 (bad input) naming the file, never crashes.
expect_exit 0 "$PAYGRAPH" ingest --transactions "$GOOD" --accounts "$DATA/ingest/accounts.csv" \
  --out "$WORK/good.h5" --compression 0
size=$(stat -c %s "$WORK/good.h5")
head -c $((size / 2)) "$WORK/good.h5" > "$WORK/pool_truncated.h5"
head -c 4096 "$WORK/good.h5" > "$WORK/pool_header_only.h5"
cp "$WORK/good.h5" "$WORK/pool_flipped.h5"
head -c 4096 /dev/urandom | dd of="$WORK/pool_flipped.h5" bs=1 seek=$((size / 3)) conv=notrunc 2>/dev/null
{ printf '\211HDF\r\n\032\n'; head -c 5000 /dev/urandom; } > "$WORK/pool_garbage.h5"
for pool in pool_truncated pool_header_only pool_flipped pool_garbage; do
  set +e
  timeout 60 "$PAYGRAPH" info "$WORK/$pool.h5" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  [ $rc -eq 2 ] || [ $rc -eq 4 ] || { cat "$WORK/err"; fail "$pool: info exit $rc, expected 2 (or 4 for an HDF5 failure)"; }
  grep -q "$pool.h5" "$WORK/err" || { cat "$WORK/err"; fail "$pool: the diagnostic does not name the file"; }
done
echo "ok: $n corpus files, 5 generated inputs, 4 damaged pools"
