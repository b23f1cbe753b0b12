#!/usr/bin/env bash
# Renders every screen of the app (android/ui's Catalog) to PNG, light and
# dark, at font scale 1 and 2, headless, and builds the contact sheet that
# docs/ keeps:
#   target/screens/<screen>-<light|dark>-<1x|2x>.png
#   docs/screens/contact-sheet.png
# The same run checks each screen's accessibility. Needs the native library
# (scripts/bindings.sh) and Maven, and a colour emoji font for the
# pictures of the short string two people compare (Debian:
# fonts-noto-color-emoji; .ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
fc-list 2>/dev/null | grep -qi "emoji" || echo "note: no emoji font here (fonts-noto-color-emoji): the compare pictures draw as boxes" >&2
out="$PWD/target/screens"
rm -rf "$out"
mkdir -p "$out" docs/screens
mvn -B -q install -DskipTests -pl bindings/kotlin,android/shared
mvn -B -q test -pl android/ui -Dtest=CatalogTest \
  -Dkindred.screenshots="$out" -Dkindred.contactSheet="$PWD/docs/screens/contact-sheet.png"
echo "screens: $(ls "$out"/*.png | wc -l) PNGs in target/screens; contact sheet: docs/screens/contact-sheet.png"
