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
