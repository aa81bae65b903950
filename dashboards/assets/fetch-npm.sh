#!/usr/bin/env bash
# fetch-npm.sh NAME VERSION INTEGRITY MEMBER TARGET: put one file of an npm package at TARGET for //go:embed.
#
# The package is fetched from the npm registry with `npm pack` (the tarball of NAME@VERSION), checked against the
# pinned sha512 INTEGRITY of that tarball, and only then is MEMBER (a path inside the tarball, e.g.
# package/dist/echarts.min.js) extracted. TARGET is not committed (see ../../.gitignore); its own sha256 is, in
# TARGET.sha256, so that a second run does nothing when the file is already the right one and a changed file is
# caught. Called by fetch-echarts.sh and fetch-chinamap.sh (through `make assets`).
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: fetch-npm.sh NAME VERSION INTEGRITY MEMBER TARGET" >&2; exit 2; }
name="$1" version="$2" integrity="$3" member="$4" target="$5"
sumfile="$target.sha256"
base="$(basename "$target")"
me="fetch $base"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
recorded_sha256() { [ -f "$sumfile" ] && tr -d ' \n\r' <"$sumfile" | cut -c1-64; }

# Idempotent: nothing to do when the file is there and is the recorded one.
if [ -f "$target" ] && [ -f "$sumfile" ] && [ "$(sha256_of "$target")" = "$(recorded_sha256)" ]; then
    exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "$me: npm is needed to fetch $name@$version (apt-get install npm)" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "$me: node is needed to check the tarball's integrity" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack "$name@$version" --silent >/dev/null)
tarball="$tmp/$name-$version.tgz"
[ -f "$tarball" ] || { echo "$me: npm pack did not produce $tarball" >&2; exit 1; }

got="sha512-$(node -e 'const c=require("crypto"),fs=require("fs");process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
if [ "$got" != "$integrity" ]; then
    echo "$me: integrity mismatch for $name@$version" >&2
    echo "  want $integrity" >&2
    echo "  got  $got" >&2
    exit 1
fi

tar -xzf "$tarball" -C "$tmp" "$member"
extracted="$tmp/$member"
sum="$(sha256_of "$extracted")"
if [ -f "$sumfile" ] && [ "$sum" != "$(recorded_sha256)" ]; then
    echo "$me: $member from the verified tarball has sha256 $sum, but $sumfile records $(recorded_sha256)" >&2
    exit 1
fi
cp "$extracted" "$target.tmp"
mv "$target.tmp" "$target"
[ -f "$sumfile" ] || printf '%s  %s\n' "$sum" "$base" >"$sumfile"
echo "$me: $name@$version $member -> $target (sha256 $sum)"
