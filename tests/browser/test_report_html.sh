#!/usr/bin/env bash
# report.html in headless Chromium: the page renders offline (no network),
# shows one table row per ring and one picture per top ring, and a
# screenshot is kept next to the test output. Exits 77 (ctest SKIP) when
# Chromium is not installed.
set -euo pipefail
: "${PAYGRAPH:?}" "${PG_SOURCE_DIR:?}" "${PG_BUILD_DIR:?}"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  echo "SKIP: chromium is not installed (Debian package 'chromium'); report.html not checked in a browser"
  exit 77
fi
OUT="$PG_BUILD_DIR/browser"
rm -rf "$OUT" && mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgbrowser.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$PAYGRAPH" generate --out "$WORK/world" --persons 600 --rings 3 --laundering 1 --days 20 --seed 3 >/dev/null 2>&1
"$PAYGRAPH" scan --transactions "$WORK/world/transactions.csv" --accounts "$WORK/world/accounts.csv" \
  --watchlist "$WORK/world/watchlist.csv" --out "$WORK/report" --top 4 >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" \
  || { cat "$OUT/stderr.txt"; fail "scan failed"; }
n_rings=$(grep -c '"detector":' "$WORK/report/report.json" || true)
[ "$n_rings" -gt 0 ] || fail "the scan found no rings"
want_pics=$(( n_rings < 4 ? n_rings : 4 ))

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --disable-dev-shm-usage)
run_chrome() {
  local profile
  profile=$(mktemp -d "$WORK/profile.XXXXXX")
  timeout 120 "$CHROME" "${flags[@]}" --user-data-dir="$profile" "$@" 2>>"$OUT/chromium.log"
}
run_chrome --dump-dom "file://$WORK/report/report.html" > "$OUT/dom.html" || fail "chromium --dump-dom failed (see $OUT/chromium.log)"
rows=$(grep -o 'class="ring-row"' "$OUT/dom.html" | wc -l)
pics=$(grep -o '<svg ' "$OUT/dom.html" | wc -l)
sections=$(grep -o '<section class="ring"' "$OUT/dom.html" | wc -l)
[ "$rows" -eq "$n_rings" ] || fail "$rows table rows in the rendered page, expected $n_rings"
[ "$pics" -eq "$want_pics" ] || fail "$pics pictures in the rendered page, expected $want_pics"
[ "$sections" -eq "$want_pics" ] || fail "$sections ring sections, expected $want_pics"
grep -q '<h1>paygraph report</h1>' "$OUT/dom.html" || fail "title missing from the rendered page"
run_chrome --screenshot="$OUT/report.png" --window-size=1200,2400 "file://$WORK/report/report.html" >/dev/null \
  || fail "chromium --screenshot failed"
[ -s "$OUT/report.png" ] || fail "no screenshot"
echo "ok: $rows rings, $pics pictures; screenshot $OUT/report.png"
