# shellcheck shell=bash
# Sourced by actions/guest-set.sh (the workflow's test action; tools/run-pipeline runs it too): debian_package NAME
# DEBIAN_ARCH [SUITE] downloads one Debian package of another architecture into a cache and prints the .deb. apt
# reads its own lists (the machine's apt state is untouched) of one suite at a time: SUITE when given (bookworm still
# builds the mips ports trixie dropped), else trixie, the stable release that builds every official architecture
# (riscv64 among them, which a Debian 12 machine lacks), then sid for the newer ones (loong64). Every list is
# verified against Debian's keyring as apt always does.
# Reads: debian_cache (the cache folder, required), QUS_DEBIAN_MIRROR (default Debian's own mirror).
: "${debian_cache:?set debian_cache before sourcing debian-package.sh}"
debian_mirror=${QUS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
debian_package() { # NAME DEBIAN_ARCH [SUITE]: prints the cached .deb
  local dir="$debian_cache/deb-$1-$2${3:+-$3}" options suite suites=(trixie sid)
  if [ -n "${3:-}" ]; then suites=("$3"); fi
  if ! compgen -G "$dir/$1_*.deb" >/dev/null; then
    for suite in "${suites[@]}"; do
      rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/lists/partial"
      echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $debian_mirror $suite main" > "$dir.tmp/sources.list"
      options=(-oAPT::Architecture="$2" -oAPT::Architectures="$2" -oDir::Etc::SourceList="$dir.tmp/sources.list"
        -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists="$dir.tmp/lists" -oDir::State::status=/dev/null
        -oDir::Cache::Archives="$dir.tmp" -oDebug::NoLocking=1 -oAcquire::Check-Valid-Until=false -oAPT::Sandbox::User=root)
      apt-get "${options[@]}" -qq update >&2 || continue
      (cd "$dir.tmp" && apt-get "${options[@]}" -qq download "$1:$2" >&2) || true
      if compgen -G "$dir.tmp/$1_*.deb" >/dev/null; then break; fi
    done
    compgen -G "$dir.tmp/$1_*.deb" >/dev/null || { echo "${0##*/}: apt-get could not download $1:$2 from $debian_mirror (${suites[*]})" >&2; return 1; }
    rm -rf "$dir.tmp/lists" "$dir.tmp/sources.list" "$dir" && mv "$dir.tmp" "$dir"
  fi
  compgen -G "$dir/$1_*.deb" | head -n 1
}
# busybox_from_deb DEB FILE: the busybox-static package's program, /bin/busybox until Debian 12, /usr/bin/busybox
# since Debian 13 moved everything under /usr.
busybox_from_deb() {
  local work
  work=$(mktemp -d)
  dpkg-deb --fsys-tarfile "$1" | tar -xf - -C "$work" --wildcards ./bin/busybox ./usr/bin/busybox 2>/dev/null || true
  if [ -f "$work/usr/bin/busybox" ]; then mv "$work/usr/bin/busybox" "$2"; else mv "$work/bin/busybox" "$2"; fi
  rm -rf "$work"
}
