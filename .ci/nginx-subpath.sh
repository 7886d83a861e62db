#!/usr/bin/env bash
# Serves the repository's site from nginx under /guides/ (base_url set to match) and crawls
# every internal link over HTTP with linkchecker: none may be broken.
# Usage: nginx-subpath.sh <rolebook binary> <temp dir>
set -euo pipefail
BIN="$1"
TMP="$2"
PORT="${NGINX_PORT:-18089}"
BASE="http://127.0.0.1:$PORT/guides/"

"$BIN" build --quiet --base-url "$BASE" --output "$TMP/sub/guides"
mkdir -p "$TMP/nginx"
cat > "$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $TMP/nginx;
  proxy_temp_path $TMP/nginx;
  fastcgi_temp_path $TMP/nginx;
  uwsgi_temp_path $TMP/nginx;
  scgi_temp_path $TMP/nginx;
  server {
    listen 127.0.0.1:$PORT;
    root $TMP/sub;
    error_page 404 /guides/404.html;
    location / { index index.html; }
  }
}
CONF
nginx -c "$TMP/nginx/nginx.conf" -g "user $(id -un);"
for _ in $(seq 50); do
  curl -fs -o /dev/null "$BASE" && break
  sleep 0.1
done
status=$(curl -s -o /dev/null -w '%{http_code}' "${BASE}no-such-page/")
[ "$status" = 404 ] || { echo "nginx-subpath: a missing page gave $status, not 404" >&2; exit 1; }
linkchecker --no-status --no-warnings --threads 4 "$BASE"
echo "nginx-subpath: no broken link under /guides/"
