#!/usr/bin/env bash
# Benchmark: qus-tarballs against the original shell pipeline (multiarch/qemu-user-static's generate_tarballs.sh
# after `rpm2cpio | zstdcat | cpio -idm`), on the same Fedora-layout RPMs holding all 35 emulators of Debian's
# qemu-user-static (~370 MB, zstd like Fedora). Runs alternate, RUNS times each; prints wall time and peak RSS of
# every run, the medians and the speed-up. Not a test: run it by hand, e.g. `RUNS=5 tests/bench/tarballs.sh`.
# `INPUT=debian tests/bench/tarballs.sh` measures Debian sid's static qemu-user .deb for amd64 instead (QEMU 11, xz):
# the shell way is `dpkg-deb --fsys-tarfile | tar -x`, then per emulator `tar -czf` and a copy to the x86_64_ name.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${RUNS:-3}"

# What the benchmark needs: emulators to package, rpmbuild, zstd, cpio, GNU time.
need=()
for p in qemu-user-static rpm zstd cpio time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  echo "installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Fedora's subpackage (qemu-user-static-FAMILY) of an emulator, as Fedora splits them since QEMU 6.
family() {
  case "$1" in
    aarch64*) echo aarch64 ;; arm*) echo arm ;; microblaze*) echo microblaze ;; mips*) echo mips ;;
    ppc*) echo ppc ;; riscv*) echo riscv ;; sh4*) echo sh4 ;; sparc*) echo sparc ;; i386 | x86_64) echo x86 ;;
    xtensa*) echo xtensa ;; *) echo "$1" ;;
  esac
}

if [ "${INPUT:-rpm}" = debian ]; then
  # Debian sid's qemu-user for amd64, downloaded once.
  inputs=("$(tests/bench/sid-qemu-user.sh)")
else
  # The RPMs, built once and cached (keyed by the emulators' sizes and dates): zstd level 19 as Fedora's
  # w19.zstdio; T0 only makes the one-time build use every core, the payload reads the same.
  emulators=(/usr/bin/qemu-*-static)
  key="$(stat -c '%n %s %Y' "${emulators[@]}" | sha256sum | cut -c1-16)"
  rpms=".fixtures/bench-rpms-$key"
  if [ ! -d "$rpms" ]; then
    echo "building Fedora-layout RPMs of ${#emulators[@]} emulators into $rpms (once)" >&2
    build="$(mktemp -d /tmp/qus-bench-build.XXXXXX)"
    {
      printf '%s\n' '%define _binary_payload w19T0.zstdio' '%define __strip /bin/true' '%define debug_package %{nil}' \
        '%define _build_id_links none' '%define __os_install_post %{nil}' '%define use_source_date_epoch_as_buildtime 1' \
        'Name: qemu' 'Version: 7.2.0' 'Release: 1.fc99' 'Summary: QEMU' 'License: GPL-2.0-only' 'AutoReqProv: no' \
        '%description' 'Benchmark input in Fedora'"'"'s layout.'
      families="$(for e in "${emulators[@]}"; do n="${e#/usr/bin/qemu-}"; family "${n%-static}"; done | sort -u)"
      for f in $families; do
        printf '%%package user-static-%s\nSummary: QEMU user mode emulation (%s)\n%%description user-static-%s\nStatic emulators.\n%%files user-static-%s\n' "$f" "$f" "$f" "$f"
        for e in "${emulators[@]}"; do
          n="${e#/usr/bin/qemu-}"; n="${n%-static}"
          [ "$(family "$n")" = "$f" ] || continue
          echo "/usr/bin/qemu-$n-static"
          [ -f "/usr/lib/binfmt.d/qemu-$n.conf" ] && echo "/usr/lib/binfmt.d/qemu-$n-static.conf"
        done
      done
      echo '%install'
      echo 'mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/lib/binfmt.d'
      echo 'cp -p /usr/bin/qemu-*-static %{buildroot}/usr/bin/'
      # shellcheck disable=SC2016 # expanded by rpmbuild's shell, not here
      echo 'for c in /usr/lib/binfmt.d/qemu-*.conf; do n="${c##*/qemu-}"; cp "$c" "%{buildroot}/usr/lib/binfmt.d/qemu-${n%.conf}-static.conf"; done'
    } > "$build/qemu.spec"
    SOURCE_DATE_EPOCH=1700000000 rpmbuild -bb --target x86_64 --define "_topdir $build/top" --define "_rpmdir $build/rpms" \
      --define '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm' "$build/qemu.spec" >/dev/null 2>&1
    mkdir -p .fixtures && mv "$build/rpms" "$rpms" && rm -rf "$build"
  fi
  inputs=("$PWD/$rpms"/*.rpm)
fi

# The tool as users get it: a Release build.
work="$(mktemp -d /tmp/qus-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
dotnet build tools/Qus.Tarballs -c Release -o "$work/tool" -v q -nologo >/dev/null
tool="$work/tool/qus-tarballs.dll"

original() {
  # multiarch/qemu-user-static: extract with rpm's tools (dpkg-deb for a .deb), then one tar -czf per emulator and a
  # copy per host name.
  mkdir -p "$1/releases" && cd "$1"
  if [[ "${inputs[0]}" == *.deb ]]; then
    dpkg-deb --fsys-tarfile "${inputs[0]}" | tar -xf -
    for file in ./usr/bin/qemu-*; do
      [ -L "$file" ] && continue
      name="$(basename "$file")-static"
      tar -czf "releases/$name.tar.gz" -C ./usr/bin --transform "s/.*/$name/" "$(basename "$file")"
      cp "releases/$name.tar.gz" "releases/x86_64_$name.tar.gz"
    done
    return
  fi
  for rpm in "${inputs[@]}"; do rpm2cpio "$rpm" | zstdcat | cpio -idm --quiet; done
  for file in ./usr/bin/qemu-*-static; do
    name="$(basename "$file")"
    tar -czf "releases/$name.tar.gz" -C ./usr/bin "$name"
    cp "releases/$name.tar.gz" "releases/x86_64_$name.tar.gz"
  done
}

ours() {
  args=()
  for rpm in "${inputs[@]}"; do args+=(--input "$rpm"); done
  dotnet "$tool" "${args[@]}" --output "$1" 2>/dev/null
}

# One run: wall seconds, peak RSS (KiB) of the process tree's largest member, and CPU seconds (user + system), from GNU time.
measure() {
  local out="$work/out-$1"
  rm -rf "$out"
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" bash -c "set -euo pipefail; $(declare -f original ours); inputs=(${inputs[*]@Q}); tool=${tool@Q}; $1 ${out@Q}"
  rm -rf "$out"
  cat "$work/time"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs; $(du -shc "${inputs[@]}" | tail -1 | cut -f1) in ${#inputs[@]} package(s): $(basename "${inputs[0]}") ..."
printf '%-4s %-14s %8s %8s %12s\n' run way wall_s cpu_s peak_rss_MB
orig_times=(); ours_times=(); orig_rss=(); ours_rss=(); orig_cpu=(); ours_cpu=()
for i in $(seq 1 "$runs"); do
  for way in original ours; do
    read -r wall rss user sys < <(measure "$way")
    cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
    printf '%-4s %-14s %8s %8s %12d\n' "$i" "$way" "$wall" "$cpu" $((rss / 1024))
    if [ "$way" = original ]; then
      orig_times+=("$wall"); orig_rss+=("$rss"); orig_cpu+=("$cpu")
    else
      ours_times+=("$wall"); ours_rss+=("$rss"); ours_cpu+=("$cpu")
    fi
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mo="$(median "${orig_times[@]}")"; mq="$(median "${ours_times[@]}")"
echo "median wall: original ${mo}s, qus-tarballs ${mq}s; peak RSS: original $(($(median "${orig_rss[@]}" | cut -d. -f1) / 1024)) MB, qus-tarballs $(($(median "${ours_rss[@]}" | cut -d. -f1) / 1024)) MB"
co="$(median "${orig_cpu[@]}")"; cq="$(median "${ours_cpu[@]}")"
echo "median CPU: original ${co}s, qus-tarballs ${cq}s (the ratio bounds the speed-up when other work takes the cores)"
echo "speed-up: $(awk -v a="$mo" -v b="$mq" 'BEGIN { printf "%.2f", a / b }')x wall (load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs)"
