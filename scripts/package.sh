#!/usr/bin/env bash
# Builds the release app into a folder ready for any static host, and a .tar.gz of it.
#
#   bash scripts/package.sh [OUT]        (default OUT: package/ in the repository)
#
# Writes OUT/ (the app, VERSION, _headers, nginx.conf, .nojekyll) and OUT.tar.gz (the same
# files under roofline-<version>/). Installs what is missing first (scripts/setup.sh build).
# Settings, from the environment:
#   BASE_PATH=/tools/roofline/   where the app will live on its host (default /); only the
#                                header files depend on it, the app itself works from any path
#   NGINX_ROOT=/srv/www          the nginx root the snippet names (files go in NGINX_ROOT + BASE_PATH)
#   ROOFLINE_BUILD_DATE=YYYY-MM-DD   the footer's build date (default: SOURCE_DATE_EPOCH's day,
#                                else today, UTC)
#
# The headers (the same in _headers and nginx.conf):
#   every file     Content-Security-Policy (exactly the one in index.html's meta tag),
#                  Access-Control-Allow-Origin: * (a sandboxed iframe has an opaque origin, so
#                  its module script and wasm fetches are cross-origin), X-Content-Type-Options
#   hashed files   Cache-Control: public, max-age=31536000, immutable (Trunk's name-<hash>.ext)
#   everything else (index.html, sw.js, embed.js, manifest.webmanifest, VERSION, data/, LICENSE)
#                  Cache-Control: no-cache (the service worker sw.js above all: a new build's
#                  sw.js, with its new build id, must reach the browser at once)
#   *.wasm         Content-Type: application/wasm
#   *.md           Content-Type: text/plain; charset=utf-8 (the sources in data/ read in the browser)
#   *.webmanifest  Content-Type: application/manifest+json
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-$ROOT/package}"
OUT="$(mkdir -p "$(dirname "$OUT")" && cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
BASE_PATH="${BASE_PATH:-/}"
BASE_PATH="/${BASE_PATH#/}"
BASE_PATH="${BASE_PATH%/}/"
NGINX_ROOT="${NGINX_ROOT:-/srv/www}"
say() { printf '[package] %s\n' "$*"; }

case "$OUT" in
  "$ROOT" | "$ROOT/dist" | / | "$HOME") echo "[package] refusing to write into $OUT" >&2; exit 2 ;;
esac
# Replace only an empty folder or an earlier package (it has VERSION and _headers).
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT" 2>/dev/null)" ] && ! { [ -f "$OUT/VERSION" ] && [ -f "$OUT/_headers" ]; }; then
  echo "[package] $OUT exists and is not an earlier package; give another OUT" >&2
  exit 2
fi

bash scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
if [ -z "${ROOFLINE_BUILD_DATE:-}" ]; then
  if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    ROOFLINE_BUILD_DATE="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"
  else
    ROOFLINE_BUILD_DATE="$(date -u +%Y-%m-%d)"
  fi
fi
export ROOFLINE_BUILD_DATE
VERSION="$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)"
LINK_VERSION="$(sed -n 's/^pub const LINK_VERSION: u32 = \([0-9]*\);/\1/p' src/scenario/link/mod.rs)"
[ -n "$VERSION" ] && [ -n "$LINK_VERSION" ] || { echo "[package] cannot read the versions" >&2; exit 1; }
COMMIT="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ "$COMMIT" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then COMMIT="$COMMIT-modified"; fi

say "building roofline $VERSION (link format v$LINK_VERSION, built $ROOFLINE_BUILD_DATE)"
trunk build --release
CSP="$(sed -n 's/.*<meta http-equiv="Content-Security-Policy" content="\([^"]*\)".*/\1/p' dist/index.html)"
[ -n "$CSP" ] || { echo "[package] dist/index.html has no Content-Security-Policy meta tag" >&2; exit 1; }
case "$CSP" in *'"'* | *'\'*) echo "[package] the policy has a character the header files cannot carry" >&2; exit 1 ;; esac

rm -rf "$OUT" "$OUT.tar.gz"
mkdir -p "$OUT"
cp -R dist/. "$OUT/"
# GitHub Pages from a branch runs Jekyll, which would turn data/*.md into HTML: not here.
: > "$OUT/.nojekyll"

cat > "$OUT/VERSION" <<EOF
$VERSION
link_format: v$LINK_VERSION
built: $ROOFLINE_BUILD_DATE
commit: $COMMIT
EOF

# Trunk's content-hashed names: name-<16 hex>[_bg].ext (the start-up script's too).
is_hashed() { [[ "$1" =~ -[0-9a-f]{12,16}(_bg)?\.[a-z]+$ ]]; }
# Every file the host serves (the host's own _headers is not served), nginx.conf included.
FILES="$( (cd "$OUT" && find . -type f ! -name _headers | sed 's|^\./||'; echo nginx.conf) | LC_ALL=C sort)"
LONG="public, max-age=31536000, immutable"

# _headers: the format of Netlify and Cloudflare Pages (one path, then its headers indented).
{
  echo "# Roofline $VERSION: response headers for static hosts that read _headers (Netlify,"
  echo "# Cloudflare Pages). Written by scripts/package.sh for the base path $BASE_PATH."
  echo "# No header is set twice for one path (hosts would join the values with commas)."
  echo "${BASE_PATH}*"
  echo "  Content-Security-Policy: $CSP"
  echo "  Access-Control-Allow-Origin: *"
  echo "  X-Content-Type-Options: nosniff"
  echo "$BASE_PATH"
  echo "  Cache-Control: no-cache"
  for f in $FILES; do
    echo "$BASE_PATH$f"
    case "$f" in
      *.wasm) echo "  Content-Type: application/wasm" ;;
      *.md) echo "  Content-Type: text/plain; charset=utf-8" ;;
      *.webmanifest) echo "  Content-Type: application/manifest+json" ;;
    esac
    if is_hashed "$f"; then echo "  Cache-Control: $LONG"; else echo "  Cache-Control: no-cache"; fi
  done
} > "$OUT/_headers"

# nginx.conf: a location block to include in a server { } block. add_header is not inherited
# by a location that sets its own, so each location repeats the common headers.
common() {
  echo "$1add_header Content-Security-Policy \"$CSP\" always;"
  echo "$1add_header Access-Control-Allow-Origin \"*\" always;"
  echo "$1add_header X-Content-Type-Options \"nosniff\" always;"
}
{
  echo "# Roofline $VERSION: nginx configuration, written by scripts/package.sh."
  echo "# Put this folder's files in $NGINX_ROOT${BASE_PATH} and include this file inside a"
  echo "# server { } block (include /path/to/nginx.conf;). Headers as in _headers."
  echo "location $BASE_PATH {"
  echo "    root $NGINX_ROOT;"
  echo "    index index.html;"
  echo "    location = ${BASE_PATH}_headers { return 404; }"
  common "    "
  echo "    add_header Cache-Control \"no-cache\" always;"
  echo "    # Content-hashed names: cached for a year."
  echo "    location ~ \"^${BASE_PATH}[^/]*-[0-9a-f]{12,16}\\.(js|css|svg)\$\" {"
  common "        "
  echo "        add_header Cache-Control \"$LONG\" always;"
  echo "    }"
  echo "    location ~ \"^${BASE_PATH}[^/]*-[0-9a-f]{12,16}_bg\\.wasm\$\" {"
  echo "        types { } default_type application/wasm;"
  common "        "
  echo "        add_header Cache-Control \"$LONG\" always;"
  echo "    }"
  echo "    # The sources in data/*.md read as text in the browser."
  echo "    location ~ \"\\.md\$\" {"
  echo "        types { } default_type \"text/plain; charset=utf-8\";"
  common "        "
  echo "        add_header Cache-Control \"no-cache\" always;"
  echo "    }"
  echo "    location ~ \"\\.webmanifest\$\" {"
  echo "        types { } default_type application/manifest+json;"
  common "        "
  echo "        add_header Cache-Control \"no-cache\" always;"
  echo "    }"
  echo "    location ~ \"\\.wasm\$\" {"
  echo "        types { } default_type application/wasm;"
  common "        "
  echo "        add_header Cache-Control \"no-cache\" always;"
  echo "    }"
  echo "}"
} > "$OUT/nginx.conf"

# Every hashed file must be one the nginx patterns cover (the two lists must agree).
for f in $FILES; do
  if is_hashed "$f" && ! [[ "$f" =~ ^[^/]*-[0-9a-f]{12,16}\.(js|css|svg)$ || "$f" =~ ^[^/]*-[0-9a-f]{12,16}_bg\.wasm$ ]]; then
    echo "[package] $f is hashed but not covered by nginx.conf's patterns" >&2
    exit 1
  fi
done

tar -czf "$OUT.tar.gz" -C "$(dirname "$OUT")" --sort=name --owner=0 --group=0 --numeric-owner \
  --transform "s|^$(basename "$OUT")|roofline-$VERSION|" "$(basename "$OUT")"

say "wrote $OUT/ ($(du -sk "$OUT" | cut -f1) KiB, $(echo "$FILES" | wc -l) files, base path $BASE_PATH)"
say "wrote $OUT.tar.gz ($(stat -c %s "$OUT.tar.gz") bytes, sha256 $(sha256sum "$OUT.tar.gz" | cut -c1-64))"
say "serve it with its headers: node e2e/host.mjs $OUT   (or test it: node e2e/run.mjs --package $OUT)"
