#!/usr/bin/env bash
# paygraph communities on the bundled sample: results written, identical for
# 1, 2 and 4 threads (same seed), CPM gives more, smaller communities,
# --iterations and --min-gain checked.
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
count() { sed -n 's/^communities *\([0-9]*\).*/\1/p' "$WORK/out"; }
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/mod.h5" --seed 7
expect_in "$WORK/out" "seed 7, 2 iterations)"
n_mod=$(count)
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/cpm.h5" --objective cpm --seed 7
n_cpm=$(count)
[ -n "$n_mod" ] && [ -n "$n_cpm" ] || fail "no community count printed"
[ "$n_cpm" -gt "$n_mod" ] || fail "CPM gave $n_cpm communities, modularity $n_mod: expected more"
# --iterations: 2 is the default (same file), 1 runs and says so, Leiden only.
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/it2.h5" --seed 7 --iterations 2
cmp "$WORK/c1.h5" "$WORK/it2.h5" || fail "--iterations 2 differs from the default"
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/it1.h5" --seed 7 --iterations 1
expect_in "$WORK/out" "seed 7, 1 iteration)"
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --iterations 0
expect_in "$WORK/err" "whole number from 1"
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --algorithm louvain \
  --iterations 3
expect_in "$WORK/err" "leiden only"
# --min-gain: the default's own value gives the same file; a bad value is refused.
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/mg.h5" --seed 7 --min-gain 1e-4
cmp "$WORK/c1.h5" "$WORK/mg.h5" || fail "--min-gain 1e-4 differs from Leiden's default"
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/mg0.h5" --seed 7 --min-gain 0
cmp -s "$WORK/c1.h5" "$WORK/mg0.h5" && fail "--min-gain 0 wrote the default's file (min_gain not recorded?)"
for bad in -1 nan inf x; do
  expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --min-gain "$bad"
done
expect_in "$WORK/err" "--min-gain"
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --algorithm bogus
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5"
[ ! -e "$WORK/x.h5" ] || fail "a refused run wrote its results"
echo ok
