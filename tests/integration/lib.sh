# Helpers for the integration tests (sourced). PAYGRAPH is the CLI under test.
set -euo pipefail
: "${PAYGRAPH:?PAYGRAPH must name the paygraph binary}"
: "${PG_SOURCE_DIR:?}"
DATA="$PG_SOURCE_DIR/tests/data"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgit.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE cmd...: run, capture stdout/stderr in $WORK/out, $WORK/err.
expect_exit() {
  local want=$1; shift
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    echo "--- stdout"; cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"
    fail "expected exit $want, got $got: $*"
  fi
}

expect_in() { grep -q -- "$2" "$1" || { cat "$1"; fail "'$2' not in $1"; }; }

# A python3 that has the module, or nothing (the system one when pyenv's lacks it).
py_with() {
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c "import $1" 2>/dev/null; then
      echo "$p"; return
    fi
  done
}

# check_report_schema REPORT.json: valid against docs/report.schema.json (when jsonschema is there).
check_report_schema() {
  local js
  js=$(py_with jsonschema)
  if [ -z "$js" ]; then
    echo "NOTICE: python3-jsonschema not installed: $1 NOT validated against the schema"
    return
  fi
  "$js" - "$PG_SOURCE_DIR/docs/report.schema.json" "$1" <<'PYEOF' || fail "$1 does not match docs/report.schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("schema:", list(e.absolute_path), e.message[:300])
sys.exit(1 if errors else 0)
PYEOF
}
