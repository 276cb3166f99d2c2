#!/usr/bin/env bash
# Benchmarks (not tests): builds the release app, serves it locally and prints page weight,
# time to first chart, edit-to-redraw, engine speed natively (criterion) and in WebAssembly,
# and the JavaScript heap after load and after 500 edits. Table on stdout, JSON in
# bench-results.json (browser) and target/criterion (native).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export ROOFLINE_BUILD_DATE="${ROOFLINE_BUILD_DATE:-$(date -u +%Y-%m-%d)}"  # the footer's build date
trunk build --release
node e2e/bench.mjs bench-results.json
echo
echo "Native engine (criterion):"
cargo bench --locked --bench engine -- --warm-up-time 1 --measurement-time 3 2>&1 | grep -E "^[a-z].*|time:" | sed 's/^/  /'
