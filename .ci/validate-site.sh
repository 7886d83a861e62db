#!/usr/bin/env bash
# Builds the repository's own site (content/ with the default theme) into a temporary folder
# and checks every page with the Nu HTML checker (vnu): any error fails the script. Also fails
# when a page loads a script, stylesheet, font or image from another host (the theme ships no
# CDN dependencies). vnu-jar is installed with npm into .ci/node/ (gitignored) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

VNU_VERSION="${VNU_VERSION:-26.9.27}"
NODE_DIR=.ci/node
VNU_JAR="$NODE_DIR/node_modules/vnu-jar/build/dist/vnu.jar"

apt_install() {
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "validate-site: please install $* (no apt-get here)" >&2
    exit 1
  fi
}

command -v java >/dev/null 2>&1 || apt_install default-jre-headless
if [ ! -f "$VNU_JAR" ]; then
  command -v npm >/dev/null 2>&1 || apt_install npm
  mkdir -p "$NODE_DIR"
  # --ignore-scripts: the package's postinstall only fetches a Java runtime, and java is here.
  npm install --prefix "$NODE_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error \
    "vnu-jar@$VNU_VERSION"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/site"

echo "validate-site: building the site into $OUT"
cargo run --release --quiet -- build --output "$OUT"

echo "validate-site: checking every page with vnu $VNU_VERSION"
java -jar "$VNU_JAR" --errors-only --skip-non-html "$OUT"

echo "validate-site: looking for assets loaded from other hosts"
if grep -rnE --include='*.html' \
  '<(script|img|iframe|source|video|audio)[^>]*[[:space:]]src="(https?:)?//|<link[^>]*rel="(stylesheet|preload|icon)"[^>]*href="(https?:)?//' \
  "$OUT"; then
  echo "validate-site: the pages above load assets from another host" >&2
  exit 1
fi
if grep -nE '@import|url\((["'\'']?)(https?:)?//' "$OUT"/*.css; then
  echo "validate-site: the stylesheet above loads assets from another host" >&2
  exit 1
fi

pages=$(find "$OUT" -name '*.html' | wc -l)
echo "validate-site: OK ($pages HTML files, no errors)"
