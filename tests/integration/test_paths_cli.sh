#!/usr/bin/env bash
# paygraph paths on the bundled sample: BFS from the watchlist, k shortest
# chains, time-respecting money-flow paths; JSON output parses and every hop
# is a transaction that connects to the next; same output for 1 and 2 threads.
source "$(dirname "$0")/lib.sh"
S="$PG_SOURCE_DIR/datasets/sample"
expect_exit 0 "$PAYGRAPH" ingest --transactions "$S/transactions.csv" --accounts "$S/accounts.csv" \
  --watchlist "$S/watchlist.csv" --out "$WORK/pool.h5"
P="$WORK/pool.h5"
expect_exit 0 "$PAYGRAPH" paths "$P" --from-watchlist --max-hops 2 --limit 5
expect_in "$WORK/out" "reached by hops: 1:"
for t in 1 2; do
  expect_exit 0 "$PAYGRAPH" paths "$P" --from-watchlist --max-hops 3 --limit 50 --json --threads $t
  cp "$WORK/out" "$WORK/bfs$t.json"
done
cmp "$WORK/bfs1.json" "$WORK/bfs2.json" || fail "BFS paths differ between 1 and 2 threads"
# a payer and the first account it paid: the direct payment is the shortest chain
read -r src dst < <(awk -F, 'NR==2 {print $5":"$6, $7":"$8}' "$S/transactions.csv")
expect_exit 0 "$PAYGRAPH" paths "$P" --from "$src" --to "$dst" --k 2 --json
python3 - "$WORK/out" "$src" "$dst" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); src, dst = sys.argv[2], sys.argv[3]
assert r["count"] >= 1, r
first = r["paths"][0]
assert first["hops"] == 1, first
t = first["transactions"][0]
assert f'{t["src_institution"]}:{t["src_account"]}' == src and f'{t["dst_institution"]}:{t["dst_account"]}' == dst
for p in r["paths"]:
    tx = p["transactions"]
    for a, b in zip(tx, tx[1:]):
        assert (a["dst_institution"], a["dst_account"]) == (b["src_institution"], b["src_account"]), p
print("k-shortest ok:", r["count"], "paths")
PY
expect_exit 0 "$PAYGRAPH" paths "$P" --from "$src" --temporal --window 7d --max-hops 3 --json
python3 - "$WORK/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for p in r["paths"]:
    tx = p["transactions"]
    times = [t["time"] for t in tx]
    assert times == sorted(times), p
    for a, b in zip(tx, tx[1:]):
        assert (a["dst_institution"], a["dst_account"]) == (b["src_institution"], b["src_account"]), p
print("temporal ok:", r["count"], "paths")
PY
expect_exit 1 "$PAYGRAPH" paths "$P"
expect_exit 1 "$PAYGRAPH" paths "$P" --from "$src" --window 3x
expect_exit 2 "$PAYGRAPH" paths "$P" --from NOBANK:0
echo ok
