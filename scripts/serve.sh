#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it on 127.0.0.1.
#   scripts/serve.sh [PORT]     (default 8080)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${1:-${PORT:-8080}}"
cd "$ROOT"
bash scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export ROOFLINE_BUILD_DATE="${ROOFLINE_BUILD_DATE:-$(date -u +%Y-%m-%d)}"  # the footer's build date
trunk build --release
echo
exec python3 "$ROOT/scripts/static_server.py" "$ROOT/dist" "$PORT"
