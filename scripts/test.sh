#!/usr/bin/env bash
# Installs what is missing, then runs every check: formatting, clippy (native and wasm32),
# the native tests, the release build, and the browser tests in headless Chromium.
# Exits non-zero if any check fails; each runner's summary line appears in the output.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh test || { echo "[test] setup failed"; exit 1; }
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

failed=()
step() {
  local name="$1"; shift
  echo
  echo "=== $name: $*"
  local t0=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - t0)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - t0)) s)"
    failed+=("$name")
  fi
}

step fmt cargo fmt --all --check
step clippy-native cargo clippy --all-targets --locked -- -D warnings
step clippy-wasm cargo clippy --target wasm32-unknown-unknown --lib --bins --locked -- -D warnings
step native-tests cargo test --locked
step release-build trunk build --release
if [ -f dist/index.html ]; then
  wasm=$(ls dist/*.wasm | head -n1)
  echo "[test] WebAssembly: $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzip"
  step browser-tests node e2e/run.mjs
else
  failed+=("browser-tests (no build)")
fi

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "[test] all checks passed"
else
  echo "[test] FAILED: ${failed[*]}"
  exit 1
fi
