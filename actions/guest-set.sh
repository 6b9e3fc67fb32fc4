#!/usr/bin/env bash
# Builds qus-test's guest set (--guests): one static program per target, named by the target, from the guest table
# qus-test prints (--print-guests): Debian's busybox-static of the listed architecture and suite, or the hello
# (--print-hello-source) cross-compiled by Debian's gcc-TRIPLET with the listed ABI flags. Cached by the table and the
# source: a second run reuses the set.
#
# Usage: guest-set.sh CACHE_DIR QUS_TEST_COMMAND...     e.g. guest-set.sh ~/.cache/qus/guests qus-test
# Prints: the guest set's folder, as the last line of stdout. Progress goes to stderr.
# As root (or with password-less sudo) and apt-get, the cross compilers missing are installed (gcc-TRIPLET, its libc by recommendation, and
# gcc-multilib-TRIPLET for -m32 and -mabi); otherwise a missing one is an error naming the package.
set -euo pipefail
shopt -s inherit_errexit
if [ $# -lt 2 ]; then
  echo "usage: guest-set.sh CACHE_DIR QUS_TEST_COMMAND..." >&2
  exit 2
fi
debian_cache=$1
shift
# shellcheck source=actions/debian-package.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-package.sh"

table=$("$@" --print-guests)
source=$("$@" --print-hello-source)
dir="$debian_cache/guests-$(printf '%s\n' "$table" "$source" | sha256sum | cut -c1-12)"
if [ ! -d "$dir" ]; then
  compilers=()
  while read -r _ kind from flags _; do
    if [ "$kind" = hello ]; then
      command -v "$from-gcc" >/dev/null 2>&1 || compilers+=("gcc-$from")
      # Another ABI of the compiler's (-m32, -mabi=n32) needs its multilib.
      case ,$flags, in *,-m32,* | *,-mabi=*) compilers+=("gcc-multilib-$from") ;; esac
    fi
  done <<< "$table"
  # Debian's keyring verifies the busybox packages' lists (a runner of another distribution lacks it).
  if [ ! -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then compilers+=(debian-archive-keyring); fi
  absent=()
  for p in $(printf '%s\n' "${compilers[@]}" | sort -u); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || absent+=("$p")
  done
  if ((${#absent[@]})); then
    # root, or a runner's password-less sudo.
    apt=(apt-get)
    if [ "$(id -u)" != 0 ]; then apt=(sudo -n apt-get); fi
    if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; }; then
      echo "guest-set.sh: missing: ${absent[*]} (apt-get install them)" >&2
      exit 1
    fi
    echo "guest-set.sh: installing ${absent[*]} (the hello guests' cross compilers)" >&2
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${absent[@]}" >/dev/null 2>&1 ||
      { "${apt[@]}" update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${absent[@]}" >/dev/null 2>&1; } ||
      { echo "guest-set.sh: could not install ${absent[*]}" >&2; exit 1; }
  fi
  mkdir -p "$debian_cache"
  work=$(mktemp -d "$dir.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  printf '%s\n' "$source" > "$work/hello.c"
  mkdir "$work/guests"
  while read -r target kind from extra _; do
    if [ "$kind" = busybox ]; then
      busybox_from_deb "$(debian_package busybox-static "$from" "$extra")" "$work/guests/$target"
    else
      flags=()
      if [ "$extra" != - ]; then IFS=, read -ra flags <<< "$extra"; fi
      "$from-gcc" -static -Os -s "${flags[@]}" -o "$work/guests/$target" "$work/hello.c"
    fi
    chmod 755 "$work/guests/$target"
  done <<< "$table"
  rm -rf "$dir" && mv "$work/guests" "$dir"
fi
echo "$dir"
