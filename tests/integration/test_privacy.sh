#!/usr/bin/env bash
# Pseudonymised pooling end to end: keygen, key handling (file mode, environment,
# never the command line), two institutions pseudonymising their own files with
# the group key, the pooled pseudonymised data giving the same graph as the raw
# data (info --json, account and entity level), no raw identifier anywhere in the
# pool or the output, and each institution re-identifying only its own accounts.
source "$(dirname "$0")/lib.sh"
G="$WORK/gen"
expect_exit 0 "$PAYGRAPH" generate --out "$G" --persons 2000 --rings 2 --days 10 --seed 11

# keygen: mode 0600, never overwrites; a readable key is refused.
expect_exit 0 "$PAYGRAPH" keygen --out "$WORK/group.key"
[ "$(stat -c %a "$WORK/group.key")" = 600 ] || fail "key is not mode 0600"
expect_exit 3 "$PAYGRAPH" keygen --out "$WORK/group.key"
expect_in "$WORK/err" "never overwritten"
cp "$WORK/group.key" "$WORK/open.key"; chmod 644 "$WORK/open.key"
expect_exit 1 "$PAYGRAPH" pseudonymize --key-file "$WORK/open.key" --in "$G/watchlist.csv" \
  --out "$WORK/x.csv"
expect_in "$WORK/err" "may be read by others"
[ ! -e "$WORK/x.csv" ] || fail "output written with a refused key"
env -u PAYGRAPH_KEY "$PAYGRAPH" pseudonymize --in "$G/watchlist.csv" --out "$WORK/x.csv" \
  2>"$WORK/err" && fail "ran without a key"
expect_in "$WORK/err" "PAYGRAPH_KEY"
expect_exit 1 "$PAYGRAPH" pseudonymize --key "$(tail -1 "$WORK/group.key")" \
  --in "$G/watchlist.csv" --out "$WORK/x.csv"

# Two institutions: A is BANK1, B everyone else (columns before 'reference' hold no commas).
split_by() { # file column -> A and B parts, header on both
  head -1 "$1" > "$2"; head -1 "$1" > "$3"
  tail -n +2 "$1" | awk -F, -v c="$4" -v a="$2" -v b="$3" '{ if ($c == "BANK1") print >> a; else print >> b }'
}
split_by "$G/transactions.csv" "$WORK/a_txn.csv" "$WORK/b_txn.csv" 5
split_by "$G/accounts.csv" "$WORK/a_acc.csv" "$WORK/b_acc.csv" 1
for part in a_txn a_acc; do
  expect_exit 0 "$PAYGRAPH" pseudonymize --key-file "$WORK/group.key" --in "$WORK/$part.csv" \
    --out "$WORK/p_$part.csv" --map "$WORK/a_map_$part.csv"
done
[ "$(stat -c %a "$WORK/a_map_a_txn.csv")" = 600 ] || fail "map is not mode 0600"
export PAYGRAPH_KEY; PAYGRAPH_KEY=$(tail -1 "$WORK/group.key")  # B uses the environment
for part in b_txn b_acc; do
  expect_exit 0 "$PAYGRAPH" pseudonymize --in "$WORK/$part.csv" --out "$WORK/p_$part.csv" \
    --map "$WORK/b_map_$part.csv"
done
expect_exit 0 "$PAYGRAPH" pseudonymize --in "$G/watchlist.csv" --out "$WORK/p_watch.csv" --kind watchlist
expect_in "$WORK/err" "$(($(wc -l < "$G/watchlist.csv") - 1)) watchlist records"
unset PAYGRAPH_KEY

raw=(--transactions "$WORK/a_txn.csv" --transactions "$WORK/b_txn.csv"
     --accounts "$WORK/a_acc.csv" --accounts "$WORK/b_acc.csv" --watchlist "$G/watchlist.csv")
pse=(--transactions "$WORK/p_a_txn.csv" --transactions "$WORK/p_b_txn.csv"
     --accounts "$WORK/p_a_acc.csv" --accounts "$WORK/p_b_acc.csv" --watchlist "$WORK/p_watch.csv")
strip_mem() { sed -E 's/,"pool_bytes":[0-9]+,"graph_bytes":[0-9]+//; s/,"memory_estimate_bytes":[0-9]+//' "$1"; }
for level in account entity; do
  expect_exit 0 "$PAYGRAPH" info "${raw[@]}" --level $level --json
  strip_mem "$WORK/out" > "$WORK/info_raw_$level.json"
  expect_exit 0 "$PAYGRAPH" info "${pse[@]}" --level $level --json
  strip_mem "$WORK/out" > "$WORK/info_pse_$level.json"
  cmp "$WORK/info_raw_$level.json" "$WORK/info_pse_$level.json" ||
    fail "info --level $level differs between raw and pseudonymised input"
  cat "$WORK/out" "$WORK/err" >> "$WORK/all_output"
done

# scan finds the same rings: the pseudonymised report, re-identified with all
# four maps, has the same ring members and evidence as the report on raw data.
expect_exit 0 "$PAYGRAPH" scan "${raw[@]}" --threads 2 --out "$WORK/scan_raw"
expect_exit 0 "$PAYGRAPH" scan "${pse[@]}" --threads 2 --out "$WORK/scan_pse"
cat "$WORK/out" "$WORK/err" >> "$WORK/all_output"
{ head -1 "$WORK/a_map_a_txn.csv"
  for m in a_map_a_txn a_map_a_acc b_map_b_txn b_map_b_acc; do tail -n +2 "$WORK/$m.csv"; done
} > "$WORK/all_maps.csv"
head -1 "$WORK/all_maps.csv" > "$WORK/no_map.csv"
ids() { grep -E '"(institution|account|src_account|dst_account|entity|role|score)":' "$1"; }
expect_exit 0 "$PAYGRAPH" reveal --map "$WORK/no_map.csv" "$WORK/scan_raw/report.json"
ids "$WORK/out" > "$WORK/rings_raw"
expect_exit 0 "$PAYGRAPH" reveal --map "$WORK/all_maps.csv" "$WORK/scan_pse/report.json"
ids "$WORK/out" > "$WORK/rings_pse"
[ "$(grep -c '"account":' "$WORK/rings_raw")" -gt 5 ] || fail "scan found no ring accounts"
cmp "$WORK/rings_raw" "$WORK/rings_pse" || {
  diff "$WORK/rings_raw" "$WORK/rings_pse" | head; fail "scan: rings differ after re-identification"; }

# No raw account number or entity token in the pool file, the pseudonymised files or the output.
expect_exit 0 "$PAYGRAPH" ingest "${pse[@]}" --compression 0 --out "$WORK/pool.h5"
cat "$WORK/out" "$WORK/err" >> "$WORK/all_output"
{ tail -n +2 "$G/accounts.csv" | cut -d, -f2,3 | tr , '\n'
  tail -n +2 "$G/transactions.csv" | cut -d, -f6,8 | tr , '\n'; } | sort -u > "$WORK/raw_ids"
[ "$(wc -l < "$WORK/raw_ids")" -gt 1000 ] || fail "too few raw identifiers collected"
for f in "$WORK/pool.h5" "$WORK"/p_*.csv "$WORK/all_output" $(find "$WORK/scan_pse" -type f); do
  if grep -a -F -q -f "$WORK/raw_ids" "$f"; then
    grep -a -o -F -f "$WORK/raw_ids" "$f" | head -3
    fail "a raw identifier leaked into $f"
  fi
done

# Reveal: A sees its own accounts and nobody else's.
a_ps=$(sed -n 2p "$WORK/a_map_a_acc.csv" | cut -d, -f3)
a_raw=$(sed -n 2p "$WORK/a_map_a_acc.csv" | cut -d, -f4 | tr -d '"')
b_ps=$(sed -n 2p "$WORK/b_map_b_acc.csv" | cut -d, -f3)
printf '{"rings":[{"id":1,"accounts":[{"institution":"BANK1","account":"%s"},{"account":"%s"}],"evidence_paths":[[{"src_account":"%s","dst_account":"%s"}]]}]}\n' \
  "$a_ps" "$b_ps" "$b_ps" "$a_ps" > "$WORK/report.json"
expect_exit 0 "$PAYGRAPH" reveal --map "$WORK/a_map_a_acc.csv" "$WORK/report.json"
[ "$(grep -c "\"$a_raw\"" "$WORK/out")" = 2 ] || fail "A's account not re-identified twice"
[ "$(grep -c "\"$b_ps\"" "$WORK/out")" = 2 ] || fail "B's account should stay pseudonymous"
expect_in "$WORK/err" "2 identifiers re-identified"
expect_exit 0 "$PAYGRAPH" reveal --map "$WORK/a_map_a_acc.csv" "$WORK/report.json" --out "$WORK/rev.json"
[ "$(stat -c %a "$WORK/rev.json")" = 600 ] || fail "revealed report is not mode 0600"
expect_exit 2 "$PAYGRAPH" reveal --map "$WORK/report.json" "$WORK/report.json"
expect_exit 1 "$PAYGRAPH" reveal "$WORK/report.json"
echo ok
