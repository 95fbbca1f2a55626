#!/usr/bin/env bash
# paygraph ingest and info on real files: exit codes, diagnostics, rejects,
# reconciliation, pool equals raw input, byte-identical pools for 1/2/4 threads.
source "$(dirname "$0")/lib.sh"
D="$DATA/ingest"

# Good files → pool; info on the pool and on the raw files agree.
expect_exit 0 "$PAYGRAPH" ingest --transactions "$D/good.csv" --accounts "$D/accounts.csv" \
  --watchlist "$D/watchlist.csv" --out "$WORK/pool.h5"
expect_in "$WORK/err" "rows read 12 = loaded 12 + rejected 0"
[ "$(stat -c %a "$WORK/pool.h5")" = 600 ] || fail "pool is not mode 0600"
expect_exit 0 "$PAYGRAPH" info "$WORK/pool.h5" --json
# memory figures differ (capacities after parsing vs. exact sizes after loading)
strip_mem() { sed -E 's/,"pool_bytes":[0-9]+,"graph_bytes":[0-9]+//' "$1"; }
strip_mem "$WORK/out" > "$WORK/info_pool.json"
expect_exit 0 "$PAYGRAPH" info --transactions "$D/good.csv" --accounts "$D/accounts.csv" \
  --watchlist "$D/watchlist.csv" --json
strip_mem "$WORK/out" | cmp - "$WORK/info_pool.json" || fail "info differs between pool and raw files"
expect_in "$WORK/out" '"transactions":5'
expect_in "$WORK/out" '"institutions":6'
expect_exit 0 "$PAYGRAPH" info "$WORK/pool.h5" --level entity
expect_in "$WORK/out" "vertices (entity )"

# Bad rows: fail names file:line: column; skip writes rejects and reconciles.
expect_exit 2 "$PAYGRAPH" ingest --transactions "$D/bad.csv" --out "$WORK/bad.h5"
expect_in "$WORK/err" "bad.csv:4: column 2 'amount'"
[ ! -e "$WORK/bad.h5" ] || fail "a failed ingest left a pool behind"
expect_exit 0 "$PAYGRAPH" ingest --transactions "$D/bad.csv" --on-error skip --out "$WORK/bad.h5"
expect_in "$WORK/err" "rows read 7 = loaded 2 + rejected 5"
[ -s "$WORK/bad.h5.rejects.csv" ] || fail "no rejects file beside the pool"
expect_in "$WORK/bad.h5.rejects.csv" "negative"

# Usage errors exit 1; a missing file exits 3; a non-pool .h5 exits 2.
expect_exit 1 "$PAYGRAPH" ingest --transactions "$D/good.csv"
expect_exit 1 "$PAYGRAPH" info
expect_exit 1 "$PAYGRAPH" ingest --bogus
expect_exit 3 "$PAYGRAPH" ingest --transactions /nonexistent.csv --out "$WORK/x.h5"

# AMLworld preset and JSON Lines.
expect_exit 0 "$PAYGRAPH" info --transactions "$D/amlworld.csv" --format amlworld --json
expect_in "$WORK/out" '"transactions":4'
expect_exit 0 "$PAYGRAPH" info --transactions "$D/good.jsonl" --json
expect_in "$WORK/out" '"transactions":3'

# Several institutions' files pooled in order; byte-identical pools for 1, 2, 4 threads.
for t in 1 2 4; do
  expect_exit 0 "$PAYGRAPH" ingest --transactions "$D/good.csv" --transactions "$D/good.jsonl" \
    --accounts "$D/accounts.csv" --threads $t --out "$WORK/p$t.h5"
done
cmp "$WORK/p1.h5" "$WORK/p2.h5" || fail "pool differs between 1 and 2 threads"
cmp "$WORK/p1.h5" "$WORK/p4.h5" || fail "pool differs between 1 and 4 threads"

# The seal, recomputed with coreutils and xxhsum as the README shows it.
want=$(tail -c +513 "$WORK/p1.h5" | split -b 1048576 --filter='xxhsum -H2' | cut -c1-32 |
  tr -d '\n' | tr a-f A-F | basenc --base16 -d | xxhsum -H2 | cut -c1-32)
[ "${#want}" -eq 32 ] || fail "xxhsum did not give a 128-bit digest ('$want')"
head -c 512 "$WORK/p1.h5" | tr -d '\0' | grep -q "xxh3-128-pieces-1MiB $want" ||
  fail "the seal is not the hash list xxhsum computes"
echo "ok"
