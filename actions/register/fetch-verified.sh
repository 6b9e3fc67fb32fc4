#!/usr/bin/env bash
# Downloads one release file and checks it against the release's SHA256SUMS (already in RELEASE_DIR) before anything
# uses it; a tarball is then unpacked, and must hold exactly its one emulator.
#
# Usage: fetch-verified.sh URL RELEASE_DIR NAME MAX_BYTES [EXTRACT_DIR EMULATOR]
# A file that is missing, larger than MAX_BYTES, not listed, or whose SHA-256 differs is a ::error:: line naming it
# and exit 1; the file is then removed, so a failed download never looks like a verified one.
set -euo pipefail
url=$1 release=$2 name=$3 max=$4 extract=${5:-} emulator=${6:-}
file="$release/$name"
fail() { rm -f "$file"; echo "::error::$name: $*"; exit 1; }

expected=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1; exit }' "$release/SHA256SUMS")
[ -n "$expected" ] || fail "not listed in the release's SHA256SUMS"
echo "downloading $url/$name"
curl -fsSL --retry 3 --max-filesize "$max" -o "$file" "$url/$name" || fail "cannot download $url/$name"
[ "$(stat -c %s "$file")" -le "$max" ] || fail "larger than $max bytes"
actual=$(sha256sum "$file" | cut -d' ' -f1)
[ "$actual" = "$expected" ] || fail "sha256 $actual does not match the release's SHA256SUMS ($expected)"

if [ -n "$extract" ]; then
  entries=$(tar -tzf "$file") || fail "not a gzip tarball"
  [ "$entries" = "$emulator" ] || fail "holds $(tr '\n' ' ' <<< "$entries")instead of just $emulator"
  tar -xzf "$file" -C "$extract" "$emulator"
  if [ -L "$extract/$emulator" ] || [ ! -f "$extract/$emulator" ] || [ ! -x "$extract/$emulator" ]; then
    fail "$emulator is not an executable file"
  fi
fi
