#!/usr/bin/env bash
# Prints the path of Debian sid's qemu-user .deb for amd64 (the benchmarks' input), downloading it once into
# .fixtures/deb-sid-qemu-user-amd64 (the folder the tests' fixture uses too) with apt pointed at sid alone (its own lists: the machine's apt state is untouched).
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=.fixtures/deb-sid-qemu-user-amd64
found() { { find "$PWD/$cache" -maxdepth 1 -name 'qemu-user_*_amd64.deb' 2>/dev/null || true; } | sort | tail -1; }
deb="$(found)"
if [ -z "$deb" ]; then
  echo "downloading sid's qemu-user amd64 into $cache (once)" >&2
  mkdir -p "$cache/lists/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" > "$cache/sources.list"
  apt=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::Etc::SourceList=$PWD/$cache/sources.list"
    -oDir::Etc::SourceParts=/dev/null "-oDir::State::Lists=$PWD/$cache/lists" -oDir::State::status=/dev/null)
  apt-get "${apt[@]}" -qq update >/dev/null
  (cd "$cache" && apt-get "${apt[@]}" -qq download qemu-user:amd64 >/dev/null 2>&1)
  rm -rf "$cache/lists" "$cache/sources.list"
  deb="$(found)"
fi
[ -n "$deb" ] || { echo "sid-qemu-user.sh: no qemu-user .deb downloaded into $cache" >&2; exit 1; }
echo "$deb"
