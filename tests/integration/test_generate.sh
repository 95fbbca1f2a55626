#!/usr/bin/env bash
# paygraph generate / eval through the CLI: byte-identical output for 1, 2
# and 4 threads, gzip output, config file with command-line override, the
# bundled sample reproduced from its recorded command, eval on a perfect
# report built from truth.csv, and exit codes on bad use.
set -euo pipefail
: "${PAYGRAPH:?}" "${PG_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for t in 1 2 4; do
    "$PAYGRAPH" generate --out "$tmp/t$t" --persons 2500 --days 10 --rings 5 --laundering 8 \
        --seed 42 --threads "$t" > "$tmp/t$t.out"
done
for f in transactions accounts watchlist truth; do
    cmp "$tmp/t1/$f.csv" "$tmp/t2/$f.csv" || fail "$f differs between 1 and 2 threads"
    cmp "$tmp/t1/$f.csv" "$tmp/t4/$f.csv" || fail "$f differs between 1 and 4 threads"
done
grep -q "5 offender rings, 8 laundering groups" "$tmp/t1.out" || fail "summary"

"$PAYGRAPH" generate --out "$tmp/gz" --persons 2500 --days 10 --rings 5 --laundering 8 \
    --seed 42 --gzip > /dev/null
for f in transactions accounts watchlist truth; do
    [ ! -e "$tmp/gz/$f.csv" ] || fail "--gzip wrote plain $f.csv"
    gzip -dc "$tmp/gz/$f.csv.gz" | cmp - "$tmp/t1/$f.csv" || fail "gzip $f differs"
done

# A config file, with --seed on the command line taking precedence.
cat > "$tmp/world.json" <<'JSON'
{"persons": 2500, "days": 10, "rings": 5, "laundering": 8, "seed": 7}
JSON
"$PAYGRAPH" generate --out "$tmp/cfg" --config "$tmp/world.json" --seed 42 > /dev/null
cmp "$tmp/cfg/transactions.csv" "$tmp/t1/transactions.csv" || fail "config + override"

# The bundled sample is exactly what its recorded command writes.
cmd=$(grep -A1 '^paygraph generate' "$PG_SOURCE_DIR/datasets/sample/README.md" | tr -d '\\\n')
read -r -a args <<< "${cmd#paygraph }"
for i in "${!args[@]}"; do
    [ "${args[$i]}" != "datasets/sample" ] || args[$i]="$tmp/sample"
done
"$PAYGRAPH" "${args[@]}" > /dev/null
for f in transactions accounts watchlist truth; do
    cmp "$tmp/sample/$f.csv" "$PG_SOURCE_DIR/datasets/sample/$f.csv" || fail "sample $f is stale"
done

# eval: a report holding exactly the planted groups finds all of them.
awk -F, 'NR > 1 {
        if (!($3 in seen)) { order[n++] = $3; seen[$3] = 1 }
        acc[$3] = acc[$3] (acc[$3] ? "," : "") "{\"institution\":\"" $1 "\",\"account\":\"" $2 "\"}"
    }
    END {
        printf "{\"rings\":["
        for (i = 0; i < n; i++) printf "%s{\"id\":\"%s\",\"score\":%d,\"accounts\":[%s]}", (i ? "," : ""), order[i], n - i, acc[order[i]]
        printf "]}\n"
    }' "$tmp/t1/truth.csv" > "$tmp/report.json"
"$PAYGRAPH" eval --report "$tmp/report.json" --truth "$tmp/t1/truth.csv" > "$tmp/eval.out"
grep -q "^all .*found 13/13 (recall 1.000)  precision@13 1.000 (unique 1.000)  mean best F1 1.000" "$tmp/eval.out" \
    || { cat "$tmp/eval.out"; fail "perfect report"; }
"$PAYGRAPH" eval --report "$tmp/report.json" --truth "$tmp/t1/truth.csv" --json \
    | grep -q '"offender":{"groups":5,"found":5,"recall":1' || fail "eval --json"
echo '{"rings":[]}' > "$tmp/empty.json"
"$PAYGRAPH" eval --report "$tmp/empty.json" --truth "$tmp/gz/truth.csv.gz" \
    | grep -q "found 0/13 (recall 0.000)" || fail "empty report / gzip truth"

# Exit codes: 1 usage, 2 bad input, 3 file system.
set +e
"$PAYGRAPH" generate --persons 2500 > /dev/null 2>&1; [ $? -eq 1 ] || fail "no --out"
"$PAYGRAPH" generate --out "$tmp/x" --persons 50 > /dev/null 2>&1; [ $? -eq 1 ] || fail "--persons 50"
echo '{"ringz": 3}' > "$tmp/bad.json"
"$PAYGRAPH" generate --out "$tmp/x" --config "$tmp/bad.json" > /dev/null 2>&1
[ $? -eq 2 ] || fail "bad config"
echo '{"rings":[' > "$tmp/bad_report.json"
"$PAYGRAPH" eval --report "$tmp/bad_report.json" --truth "$tmp/t1/truth.csv" > /dev/null 2>&1
[ $? -eq 2 ] || fail "bad report"
"$PAYGRAPH" eval --report "$tmp/report.json" --truth "$tmp/missing.csv" > /dev/null 2>&1
[ $? -eq 3 ] || fail "missing truth"
"$PAYGRAPH" eval --truth "$tmp/t1/truth.csv" > /dev/null 2>&1; [ $? -eq 1 ] || fail "no --report"
set -e
echo "ok"
