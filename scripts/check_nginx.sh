#!/usr/bin/env bash
# Packages the app for /tools/roofline/, serves it with nginx and nothing but the package's own
# nginx.conf, and runs the browser suite against it (the header test included).
#   bash scripts/check_nginx.sh [filter]
# Needs nginx on PATH (Debian: apt-get install nginx); it runs as your user on a free port of
# 127.0.0.1 and is stopped afterwards. Not part of scripts/test.sh, which serves the package
# with its _headers (e2e/host.mjs) so that it needs no web server installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v nginx >/dev/null || { echo "[nginx] nginx is not installed (apt-get install nginx)" >&2; exit 2; }
WORK="$(mktemp -d)"
# Run as root, nginx's workers run as nobody: they must be able to read the files.
chmod 755 "$WORK"
NGINX_PID=""
cleanup() {
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
BASE_PATH=/tools/roofline/ NGINX_ROOT="$WORK/www" bash scripts/package.sh "$WORK/www/tools/roofline"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
MIME=/etc/nginx/mime.types
[ -f "$MIME" ] || MIME="$(dirname "$(nginx -V 2>&1 | sed -n 's/.*--conf-path=\([^ ]*\).*/\1/p')")/mime.types"
mkdir -p "$WORK/logs"
cat > "$WORK/nginx-main.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 256; }
http {
  include $MIME;
  access_log $WORK/logs/access.log;
  client_body_temp_path $WORK/body; proxy_temp_path $WORK/proxy; fastcgi_temp_path $WORK/fastcgi;
  uwsgi_temp_path $WORK/uwsgi; scgi_temp_path $WORK/scgi;
  # The suite's bad-link test sends a 100 KB query.
  large_client_header_buffers 4 256k;
  server {
    listen 127.0.0.1:$PORT;
    include $WORK/www/tools/roofline/nginx.conf;
  }
}
EOF
nginx -t -q -p "$WORK" -c "$WORK/nginx-main.conf"
nginx -p "$WORK" -c "$WORK/nginx-main.conf" -g 'daemon off;' &
NGINX_PID=$!
URL="http://127.0.0.1:$PORT/tools/roofline/"
node -e "
  const until = Date.now() + 10000;
  (async function poll() {
    try { if ((await fetch('$URL')).ok) return; } catch (e) {}
    if (Date.now() > until) { console.error('[nginx] no answer from $URL'); process.exit(1); }
    setTimeout(poll, 100);
  })();" || { cat "$WORK/logs/error.log" >&2; exit 1; }
echo "[nginx] serving the package at $URL"
BASE_URL="$URL" DIST="$WORK/www/tools/roofline" node e2e/run.mjs "$@"
