#!/usr/bin/env bash
# Checks the repository's own built site with real tools: xmllint on sitemap.xml and atom.xml,
# Debian's linkchecker over the `relative_urls` build through file://, and an nginx crawl of
# the site served under /guides/ with a matching base_url.
set -euo pipefail
cd "$(dirname "$0")/.."

TMP="$(mktemp -d)"
chmod 755 "$TMP" # linkchecker, run as root, drops to the user nobody
cleanup() {
  if [ -f "$TMP/nginx.pid" ]; then kill "$(cat "$TMP/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
cargo build --release --quiet
BIN="$PWD/target/release/rolebook"

echo "check-links: xmllint on sitemap.xml and atom.xml"
"$BIN" build --quiet --output "$TMP/site"
xmllint --noout "$TMP/site/sitemap.xml" "$TMP/site/atom.xml"

echo "check-links: linkchecker over the relative_urls build, through file://"
mkdir -p "$TMP/rel"
cp -r content "$TMP/rel/"
[ -d static ] && cp -r static "$TMP/rel/"
sed -e '/^relative_urls:/d' site.yaml > "$TMP/rel/site.yaml"
echo "relative_urls: true" >> "$TMP/rel/site.yaml"
"$BIN" build --quiet --root "$TMP/rel" --output "$TMP/rel-out"
linkchecker --no-status --no-warnings "file://$TMP/rel-out/index.html" || {
  echo "check-links: linkchecker found broken links in the relative_urls build" >&2
  exit 1
}

echo "check-links: the site under /guides/ on nginx, every internal link crawled"
bash .ci/nginx-subpath.sh "$BIN" "$TMP"
