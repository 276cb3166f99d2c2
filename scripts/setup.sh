#!/usr/bin/env bash
# Installs whatever is missing, from the package registries only, and skips what is there.
#   scripts/setup.sh build   the wasm target, Trunk, wasm-bindgen-cli (Cargo.lock's version),
#                            wasm-split-cli, wasm-opt
#   scripts/setup.sh test    all of the above, plus Debian's chromium and the npm test packages
# Source it (". scripts/setup.sh build") or run it; it prints what it installs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-build}"
TRUNK_VERSION="0.21.14"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

# The wasm target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# Trunk, pinned: 0.22 needs rustc >= 1.96.1.
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli at exactly the version in Cargo.lock.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
if [ -z "$WB_VERSION" ]; then
  echo "[setup] could not read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
if ! grep -q "wasm_bindgen = \"$WB_VERSION\"" "$ROOT/Trunk.toml"; then
  echo "[setup] Trunk.toml's [tools] wasm_bindgen differs from Cargo.lock's wasm-bindgen $WB_VERSION" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION (about 2 minutes)"
  # Without --locked: its lockfile names a dependency version missing from the registry.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# wasm-split-cli (crate wasm_split_cli_support, pinned): cuts the lazily loaded panels out of the
# WebAssembly (scripts/split_wasm.mjs, run by Trunk's post-build hook). No --version flag: its
# presence is checked, and the version through cargo's install list.
WASM_SPLIT_VERSION="0.2.4"
if ! command -v wasm-split-cli >/dev/null 2>&1 \
  || { cargo install --list 2>/dev/null | grep -q '^wasm_split_cli_support ' \
       && ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; }; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 1 minute)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# wasm-opt 132 from npm's binaryen (Debian's wasm-opt 108 emits wasm that fails at runtime),
# and for tests playwright-core and axe-core: all pinned in package-lock.json.
need_npm=0
case "$(wasm-opt --version 2>/dev/null || true)" in
  *"version 132"*) ;;
  *) need_npm=1 ;;
esac
if [ "$MODE" = test ] && [ ! -d "$ROOT/node_modules/playwright-core" ]; then need_npm=1; fi
if [ "$need_npm" = 1 ]; then
  say "installing npm packages (binaryen for wasm-opt; playwright-core and axe-core for tests)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$MODE" = test ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
      || { $SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then rustup component add clippy; fi
  if ! cargo fmt --version >/dev/null 2>&1; then rustup component add rustfmt; fi
fi
say "tools ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -n1)"
