#!/usr/bin/env bash
# paygraph communities on the bundled sample: results written, identical for
# 1, 2 and 4 threads (same seed), CPM gives more, smaller communities.
source "$(dirname "$0")/lib.sh"
S="$PG_SOURCE_DIR/datasets/sample"
expect_exit 0 "$PAYGRAPH" ingest --transactions "$S/transactions.csv" --accounts "$S/accounts.csv" \
  --watchlist "$S/watchlist.csv" --out "$WORK/pool.h5"
for t in 1 2 4; do
  expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/c$t.h5" --threads $t --seed 7
done
expect_in "$WORK/out" "modularity"
cmp "$WORK/c1.h5" "$WORK/c2.h5" || fail "communities differ between 1 and 2 threads"
cmp "$WORK/c1.h5" "$WORK/c4.h5" || fail "communities differ between 1 and 4 threads"
[ "$(stat -c %a "$WORK/c1.h5")" = 600 ] || fail "results are not mode 0600"
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/lv.h5" --algorithm louvain \
  --level entity
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/cpm.h5" --objective cpm
n_mod=$(sed -n 's/^communities *\([0-9]*\).*/\1/p' "$WORK/out")
[ -n "$n_mod" ] || fail "no community count printed"
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --algorithm bogus
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5"
echo ok
