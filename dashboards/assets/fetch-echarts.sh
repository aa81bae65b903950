#!/usr/bin/env bash
# fetch-echarts.sh: put the pinned ECharts build at dashboards/assets/echarts.min.js for //go:embed.
#
# The script is fetched from the npm registry with `npm pack` (the tarball of echarts@5.6.0), checked against the
# pinned sha512 integrity of that tarball, and only then extracted. It is not committed (see ../.gitignore); its own
# sha256 is, in echarts.min.js.sha256, so that a second run does nothing when the file is already the right one and a
# changed file is caught. Run it through `make assets`.
set -euo pipefail

VERSION="5.6.0"
INTEGRITY="sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA=="

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="$here/echarts.min.js"
sumfile="$here/echarts.min.js.sha256"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
recorded_sha256() { [ -f "$sumfile" ] && tr -d ' \n\r' <"$sumfile" | cut -c1-64; }

# Idempotent: nothing to do when the file is there and is the recorded one.
if [ -f "$target" ] && [ -f "$sumfile" ] && [ "$(sha256_of "$target")" = "$(recorded_sha256)" ]; then
    exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "fetch-echarts: npm is needed to fetch echarts@$VERSION (apt-get install npm)" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "fetch-echarts: node is needed to check the tarball's integrity" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack "echarts@$VERSION" --silent >/dev/null)
tarball="$tmp/echarts-$VERSION.tgz"
[ -f "$tarball" ] || { echo "fetch-echarts: npm pack did not produce $tarball" >&2; exit 1; }

got="sha512-$(node -e 'const c=require("crypto"),fs=require("fs");process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
if [ "$got" != "$INTEGRITY" ]; then
    echo "fetch-echarts: integrity mismatch for echarts@$VERSION" >&2
    echo "  want $INTEGRITY" >&2
    echo "  got  $got" >&2
    exit 1
fi

tar -xzf "$tarball" -C "$tmp" package/dist/echarts.min.js
extracted="$tmp/package/dist/echarts.min.js"
sum="$(sha256_of "$extracted")"
if [ -f "$sumfile" ] && [ "$sum" != "$(recorded_sha256)" ]; then
    echo "fetch-echarts: echarts.min.js from the verified tarball has sha256 $sum, but $sumfile records $(recorded_sha256)" >&2
    exit 1
fi
cp "$extracted" "$target.tmp"
mv "$target.tmp" "$target"
[ -f "$sumfile" ] || printf '%s  echarts.min.js\n' "$sum" >"$sumfile"
echo "fetch-echarts: echarts@$VERSION -> $target (sha256 $sum)"
