#!/usr/bin/env bash
# Installs what is missing, then runs every check: formatting, clippy (native and wasm32),
# the native tests, the release build (packaged by scripts/package.sh for a sub-path), and the
# browser tests in headless Chromium twice: on dist/ served at /, and on the package served
# from /tools/roofline/ with exactly the headers its _headers file documents.
# Exits non-zero if any check fails; each runner's summary line appears in the output.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh test || { echo "[test] setup failed"; exit 1; }
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# The property tests (tests/properties.rs, link.rs, sim.rs) draw their 256 random cases from
# one fixed seed here, so a run is reproducible and CI does not fail on a case no change
# made; explore other cases with another seed (PROPTEST_RNG_SEED=7 cargo test --test
# properties), and keep any failure found as a regression seed once it is fixed.
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261201}"
# The page footer's build date (read at compile time); one value for every step.
export ROOFLINE_BUILD_DATE="${ROOFLINE_BUILD_DATE:-$(date -u +%Y-%m-%d)}"
PKG_DIR="$(mktemp -d)"
trap 'rm -rf "$PKG_DIR"' EXIT
PKG="$PKG_DIR/roofline"

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
# The light embeds' configuration (no `app` feature: no Leptos; src/lite/).
step clippy-wasm-lite cargo clippy --target wasm32-unknown-unknown --no-default-features --lib --bins --locked -- -D warnings
step native-tests cargo test --locked
# trunk build --release into dist/, then the deployable folder and .tar.gz from it.
step release-build env BASE_PATH=/tools/roofline/ bash scripts/package.sh "$PKG"
if [ -f dist/index.html ] && [ -f "$PKG/_headers" ]; then
  wasm=$(ls dist/roofline-web-*_bg.wasm | head -n1)
  echo "[test] WebAssembly (first screen): $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzip"
  step browser-tests node e2e/run.mjs
  step browser-tests-package node e2e/run.mjs --package "$PKG"
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
