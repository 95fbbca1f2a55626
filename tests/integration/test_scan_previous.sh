#!/usr/bin/env bash
# paygraph scan --previous: the rings of this month's scan related to last
# month's. A world's rows up to two thirds of its time span are the earlier
# pool, all rows the later one. Every ring's "previous" in report.json is
# recomputed in Python from the two reports' member keys (shared members,
# the continue rule, the choice of match, the totals); identical results for
# 1, 2 and 4 threads; the rings themselves unchanged (only the context
# communities start from the earlier scan's); folder or file, config key,
# the output folder as its own previous; refusals (pool file, communities
# file, missing, damaged, unsealed) leave nothing behind; a scan of another
# world matches nothing.
source "$(dirname "$0")/lib.sh"

PY=$(py_with json)
[ -n "$PY" ] || fail "python3 is needed for this test"

persons=800
[ -n "${PG_SANITIZED:-}" ] && persons=650
expect_exit 0 "$PAYGRAPH" generate --out "$WORK/world" --persons $persons --rings 4 --laundering 3 \
  --days 30 --seed 7
W="$WORK/world"
"$PY" - "$W/transactions.csv" "$WORK/early.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head, body = rows[0], rows[1:]
t = head.index("timestamp")
times = sorted(r[t] for r in body)
cut = times[len(times) * 2 // 3]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(head)
    w.writerows(r for r in body if r[t] < cut)
PYEOF
EARLY=(--transactions "$WORK/early.csv" --accounts "$W/accounts.csv" --watchlist "$W/watchlist.csv")
LATE=(--transactions "$W/transactions.csv" --accounts "$W/accounts.csv" --watchlist "$W/watchlist.csv")

expect_exit 0 "$PAYGRAPH" scan "${EARLY[@]}" --out "$WORK/e" --threads 2 --top 20
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/l1" --previous "$WORK/e" --threads 1 --top 20
cp "$WORK/out" "$WORK/stdout1"
cp "$WORK/err" "$WORK/stderr1"
expect_in "$WORK/out" "^rank .*top indicator  *previous$"
expect_in "$WORK/out" "^previous scan: [0-9]* rings; [0-9]* of these [0-9]* rings continue one"
expect_in "$WORK/err" "previous scan $WORK/e/results.h5: "
grep -q "<th>previous scan</th>" "$WORK/l1/report.html" || fail "no previous-scan column in report.html"

# Every ring's match and the totals, recomputed from the two reports:
# check_previous EARLY.json LATE.json [STDOUT TOP]
cat >"$WORK/check_previous.py" <<'PYEOF'
import json, re, sys
from fractions import Fraction
early = json.load(open(sys.argv[1]))
late = json.load(open(sys.argv[2]))
key = lambda a: (a["institution"], a["account"])
E = [set(map(key, g["accounts"])) for g in early["rings"]]
esize = [len(g["accounts"]) for g in early["rings"]]
def continues(shared, a, b):
    return shared > 0 and 2 * shared >= min(a, b)
continued = [False] * len(E)
n_cont = 0
for g in late["rings"]:
    members = set(map(key, g["accounts"]))
    best = None  # (continues, Jaccard, -earlier id)
    for i, e in enumerate(E):
        s = len(members & e)
        if s == 0:
            continue
        c = continues(s, len(members), esize[i])
        continued[i] = continued[i] or c
        cand = (c, Fraction(s, len(members) + esize[i] - s), -(i + 1), s)
        best = cand if best is None or cand[:3] > best[:3] else best
    p = g["previous"]
    if best is None:
        assert p is None, (g["id"], p)
        continue
    want = {"id": -best[2], "shared_accounts": best[3], "members": esize[-best[2] - 1],
            "continues": best[0]}
    assert p == want, (g["id"], p, want)
    n_cont += best[0]
ps = late["previous_scan"]
assert ps["rings"] == len(E), ps
assert ps["continuing"] == n_cont and ps["new"] == len(late["rings"]) - n_cont, ps
gone = [i + 1 for i, c in enumerate(continued) if not c]
assert ps["gone"] == len(gone) and ps["gone_ids"] == gone, ps
assert 0 < ps["accounts_found"] <= ps["accounts"], ps
if len(sys.argv) > 3:  # the stdout column says the same as report.json
    rows = [l.split() for l in open(sys.argv[3]) if re.match(r"^\d+ ", l)]
    assert rows or not late["rings"]
    for r, g in zip(rows, late["rings"]):
        p = g["previous"]
        assert r[-1] == ("#%d" % p["id"] if p and p["continues"] else "new"), (r, p)
    # the totals line names the gone rings among the earlier scan's first --top
    top = int(sys.argv[4])
    k = min(top, len(E)) if top else len(E)
    line = [l for l in open(sys.argv[3]) if l.startswith("previous scan: ")]
    top_gone = ", ".join("#%d" % i for i in gone if i <= k) or "none"
    want = "(of its first %d: %s)" % (k, top_gone)
    assert line and line[0].rstrip().endswith(want), (line, want)
print("rings %d, continuing %d, gone %d" % (len(late["rings"]), n_cont, ps["gone"]))
PYEOF
"$PY" "$WORK/check_previous.py" "$WORK/e/report.json" "$WORK/l1/report.json" "$WORK/stdout1" 20 |
  tee "$WORK/check1"
grep -q "continuing [1-9]" "$WORK/check1" || fail "no ring continues an earlier one"
"$PY" - "$WORK/l1/report.json" "$(sha256sum "$WORK/e/results.h5" | cut -d' ' -f1)" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["run"]["config"]["previous"].endswith("/e")
assert r["previous_scan"]["sha256"] == sys.argv[2], (r["previous_scan"]["sha256"], sys.argv[2])
PYEOF
# report.html says it for each top ring
grep -Eq "<p>(Continues ring [0-9]+ of the previous scan|New)" "$WORK/l1/report.html" ||
  fail "no previous-scan sentence in a top ring of report.html"
grep -q "<tr><td>no longer found</td><td>of its first 20: " "$WORK/l1/report.html" ||
  fail "report.html does not say which of the earlier top rings are gone"

# At entity level, ring members are still accounts, matched the same way.
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/lent" --previous "$WORK/e" --level entity \
  --threads 2 --top 20
"$PY" "$WORK/check_previous.py" "$WORK/e/report.json" "$WORK/lent/report.json" "$WORK/out" 20

# A month with fewer rings than --top: the gone ones are still named among the earlier first 20.
head -n 400 "$W/transactions.csv" >"$WORK/few.csv"
expect_exit 0 "$PAYGRAPH" scan --transactions "$WORK/few.csv" --accounts "$W/accounts.csv" \
  --out "$WORK/few" --previous "$WORK/e" --threads 2 --top 20
"$PY" "$WORK/check_previous.py" "$WORK/e/report.json" "$WORK/few/report.json" "$WORK/out" 20
expect_in "$WORK/out" "(of its first 20: #"
grep -q "<tr><td>no longer found</td><td>of its first 20: #" "$WORK/few/report.html" ||
  fail "report.html counts the earlier top against this scan's rings"

check_report_schema "$WORK/l1/report.json"

# results.h5 carries the same, as docs/results_h5.md says.
H5=$(py_with h5py)
if [ -n "$H5" ]; then
  "$H5" - "$WORK/l1/results.h5" "$WORK/l1/report.json" <<'PYEOF' || fail "results.h5 previous columns"
import json, sys, h5py
f = h5py.File(sys.argv[1], "r")
rep = json.load(open(sys.argv[2]))
none = 4294967295
for k, g in enumerate(rep["rings"]):
    p = g["previous"] or {"id": none, "shared_accounts": 0, "members": 0, "continues": False}
    got = [int(f["rings/previous_" + c][k]) for c in ("id", "shared", "members", "continues")]
    assert got == [p["id"], p["shared_accounts"], p["members"], int(p["continues"])], (k, got, p)
ps = rep["previous_scan"]
for c in ("rings", "accounts", "accounts_found", "continuing", "gone"):
    assert int(f.attrs["previous_" + c]) == ps[c], c
assert [int(x) for x in f["previous_scan/gone_id"][()]] == ps["gone_ids"]
sha = f.attrs["previous_sha256"]
assert (sha.decode() if isinstance(sha, bytes) else sha) == ps["sha256"]
PYEOF
else
  echo "NOTICE: python3-h5py not installed: results.h5 NOT read with h5py"
fi

# Same results for 2 and 4 threads; the folder or its results.h5; results.h5 carries the columns.
strip_run() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); r.pop("run"); print(json.dumps(r, sort_keys=True))' "$1"; }
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/l2" --previous "$WORK/e/results.h5" \
  --threads 2 --top 20
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/l3" --previous "$WORK/e/" --top 20
expect_in "$WORK/err" "previous scan $WORK/e/results.h5: "
cmp <(strip_run "$WORK/l1/report.json") <(strip_run "$WORK/l2/report.json") ||
  fail "report.json differs: 1 thread with the folder, 2 with the file"
cmp "$WORK/l1/results.h5" "$WORK/l2/results.h5" || fail "results.h5 differs between 1 and 2 threads"
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/l4" --previous "$WORK/e" --threads 4 --top 20
cmp "$WORK/l1/results.h5" "$WORK/l4/results.h5" || fail "results.h5 differs between 1 and 4 threads"

# A scan without --previous writes none of it.
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/plain" --threads 2 --top 20
"$PY" - "$WORK/plain/report.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert "previous_scan" not in r and all("previous" not in g for g in r["rings"])
assert "previous" not in r["run"]["config"]
PYEOF
grep -q "previous" "$WORK/out" && fail "stdout mentions a previous scan without --previous"

# The context communities start from the earlier scan's; detection and ranking do not use
# them, so the rings are those of the plain scan but for their community and previous.
expect_in "$WORK/stderr1" "communities start from the previous scan's ([0-9]* of [0-9]* accounts found there)"
"$PY" - "$WORK/plain/report.json" "$WORK/l1/report.json" <<'PYEOF'
import json, sys
plain, warm = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda r: [{k: v for k, v in g.items() if k not in ("community", "previous")} for g in r["rings"]]
assert strip(plain) == strip(warm), "--previous changed the rings themselves"
assert [a["score"] for a in plain["accounts"]] == [a["score"] for a in warm["accounts"]]
PYEOF

# The config key, and a report folder as its own previous (read before it is replaced).
echo "{\"previous\": \"$WORK/e\", \"top\": 20}" >"$WORK/job.json"
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/l5" --config "$WORK/job.json" --threads 2
cmp <(strip_run "$WORK/l1/report.json") <(strip_run "$WORK/l5/report.json") || fail "config key"
cp -r "$WORK/e" "$WORK/monthly"
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/monthly" --previous "$WORK/monthly" \
  --threads 2 --top 20
cmp <(strip_run "$WORK/l1/report.json") <(strip_run "$WORK/monthly/report.json" |
  sed "s|$WORK/monthly|$WORK/e|g") || fail "a folder as its own previous"

# `paygraph communities --initial` takes a scan's results.h5 as well.
expect_exit 0 "$PAYGRAPH" ingest "${LATE[@]}" --out "$WORK/late.h5"
expect_exit 0 "$PAYGRAPH" communities "$WORK/late.h5" --out "$WORK/late_c.h5" \
  --initial "$WORK/e/results.h5"
expect_in "$WORK/out" "^warm start  *[1-9][0-9]* of [0-9]* accounts from $WORK/e/results.h5"

# Refusals: nothing is written, the message names the file.
refused() { # want_exit pattern path
  rm -rf "$WORK/bad"
  expect_exit "$1" "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/bad" --previous "$3"
  expect_in "$WORK/err" "$2"
  [ ! -e "$WORK/bad" ] || fail "a refused --previous left $WORK/bad"
  ls "$WORK"/bad.tmp.* >/dev/null 2>&1 && fail "temporary folder left behind" || true
}
expect_exit 0 "$PAYGRAPH" ingest "${EARLY[@]}" --out "$WORK/pool.h5"
refused 2 "$WORK/pool.h5: not the results.h5 of a paygraph scan" "$WORK/pool.h5"
expect_exit 0 "$PAYGRAPH" communities "$WORK/pool.h5" --out "$WORK/comm.h5"
refused 2 "$WORK/comm.h5: not the results.h5 of a paygraph scan" "$WORK/comm.h5"
refused 3 "$WORK/nowhere: cannot open" "$WORK/nowhere"
cp "$WORK/e/results.h5" "$WORK/flipped.h5"
size=$(stat -c %s "$WORK/flipped.h5")
printf '\x5a' | dd of="$WORK/flipped.h5" bs=1 seek=$((size / 2)) conv=notrunc status=none
refused 2 "$WORK/flipped.h5: .*seal" "$WORK/flipped.h5"
cp "$WORK/e/results.h5" "$WORK/unsealed.h5"
dd if=/dev/zero of="$WORK/unsealed.h5" bs=512 count=1 conv=notrunc status=none
refused 2 "$WORK/unsealed.h5: not a sealed paygraph scan results file" "$WORK/unsealed.h5"

# Another world's scan: no account matches, a warning, every ring new.
expect_exit 0 "$PAYGRAPH" generate --out "$WORK/other" --persons 300 --rings 2 --laundering 1 --days 10 --seed 8
expect_exit 0 "$PAYGRAPH" scan --transactions "$WORK/other/transactions.csv" \
  --accounts "$WORK/other/accounts.csv" --out "$WORK/o" --threads 2 --top 1
expect_exit 0 "$PAYGRAPH" scan "${LATE[@]}" --out "$WORK/l6" --previous "$WORK/o" --threads 2 --top 20
expect_in "$WORK/err" "no account of the previous scan is in this pool"
expect_in "$WORK/err" "communities start cold"
"$PY" - "$WORK/l6/report.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
ps = r["previous_scan"]
assert ps["accounts_found"] == 0 and ps["continuing"] == 0 and ps["gone"] == ps["rings"], ps
assert all(g["previous"] is None for g in r["rings"])
PYEOF
echo "ok"
