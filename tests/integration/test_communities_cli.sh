#!/usr/bin/env bash
# paygraph communities on the bundled sample: results written, identical for
# 1, 2 and 4 threads (same seed), CPM gives more, smaller communities,
# --iterations, --min-gain and --initial (warm start) checked.
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
# --initial: a warm start from an earlier result. From this pool's own result
# every account matches, the quality cannot fall (local moving only makes
# gains, and Leiden's aggregation keeps the partition), and threads do not
# change the file.
quality() { sed -n 's/^quality *\([0-9.]*\).*/\1/p' "$WORK/out"; }
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/cold.h5" --seed 7
q_cold=$(quality)
[ -n "$q_cold" ] || fail "no quality printed"
for t in 1 2 4; do
  expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/warm$t.h5" --seed 7 \
    --threads $t --initial "$WORK/cold.h5"
done
cmp "$WORK/warm1.h5" "$WORK/warm2.h5" || fail "warm start differs between 1 and 2 threads"
cmp "$WORK/warm1.h5" "$WORK/warm4.h5" || fail "warm start differs between 1 and 4 threads"
n_acc=$("$PAYGRAPH" info "$WORK/pool.h5" | sed -n 's/^accounts *\([0-9]*\).*/\1/p')
expect_in "$WORK/out" "warm start  *$n_acc of $n_acc accounts from $WORK/cold.h5\$"
q_warm=$(quality)
[ -n "$q_warm" ] || fail "no quality printed for the warm start"
awk -v w="$q_warm" -v c="$q_cold" 'BEGIN { exit !(w >= c) }' ||
  fail "warm start quality $q_warm is below its start's $q_cold"
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/warm_lv.h5" --seed 7 \
  --algorithm louvain --initial "$WORK/cold.h5"
q_lv=$(quality)
[ -n "$q_lv" ] || fail "no quality printed for Louvain"
awk -v w="$q_lv" -v c="$q_cold" 'BEGIN { exit !(w >= c) }' ||
  fail "Louvain from the Leiden result fell below it"
# On updated data (the earlier pool held the first half of the transactions)
# the accounts new since then start alone and are counted apart.
head -n $(( $(wc -l < "$S/transactions.csv") / 2 )) "$S/transactions.csv" > "$WORK/half.csv"
expect_exit 0 "$PAYGRAPH" communities --transactions "$WORK/half.csv" --out "$WORK/half.h5"
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/upd.h5" --initial "$WORK/half.h5"
matched=$(sed -n 's/^warm start *\([0-9]*\) of.*/\1/p' "$WORK/out")
[ -n "$matched" ] && [ "$matched" -gt 0 ] && [ "$matched" -lt "$n_acc" ] ||
  fail "updated data: $matched of $n_acc accounts matched, expected some but not all"
expect_in "$WORK/out" "vertices with no matched account start alone"
# A results file of another pool (no account in common, as after a change of
# pseudonymisation key) runs cold, with a warning.
printf 'timestamp,amount,src_institution,src_account,dst_institution,dst_account\n%s\n' \
  "1700000000,10.00,ELSEWHERE,x,ELSEWHERE,y" > "$WORK/other.csv"
expect_exit 0 "$PAYGRAPH" communities --transactions "$WORK/other.csv" --out "$WORK/other.h5"
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/foreign.h5" --seed 7 \
  --initial "$WORK/other.h5"
expect_in "$WORK/out" "warm start  *0 of $n_acc accounts"
expect_in "$WORK/err" "warning: no account of this pool is in $WORK/other.h5"
# Files a warm start cannot use are refused, naming them, and nothing is written.
expect_exit 2 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --initial "$WORK/pool.h5"
expect_in "$WORK/err" "pool.h5: not a community results file"
expect_exit 3 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --initial "$WORK/none.h5"
expect_in "$WORK/err" "none.h5: cannot open"
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/x.h5" --algorithm bogus
expect_exit 1 "$PAYGRAPH" communities "$WORK/pool.h5"
[ ! -e "$WORK/x.h5" ] || fail "a refused run wrote its results"
echo ok
