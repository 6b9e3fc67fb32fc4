#!/usr/bin/env bash
# Benchmark: decoding a real Debian payload, the data.tar.xz of sid's qemu-user amd64 .deb (~70 MB of xz in 24 MiB
# blocks, ~480 MB inside), with xz(1) on one and two threads, our liblzma decoder (NativeXzStream, default options,
# and on one thread) and SharpCompress's managed XZStream (QUS_XZ=managed). Runs alternate, RUNS times each; prints
# wall time, CPU time and peak RSS of every run and the medians. Not a test: run it by hand, e.g.
# `RUNS=5 tests/bench/xz.sh`; DEB=path/to/some.deb benchmarks another package's data.tar.xz.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${RUNS:-3}"

need=()
for p in xz-utils binutils time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  echo "installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The package: DEB, or sid's qemu-user for amd64, downloaded once into the cache.
deb="${DEB:-$(tests/bench/sid-qemu-user.sh)}"

work="$(mktemp -d /tmp/qus-bench-xz.XXXXXX)"
trap 'rm -rf "$work"' EXIT
payload="$work/data.tar.xz"
ar p "$deb" data.tar.xz > "$payload"

# The driver: decodes through the library as the qus-* tools do, in a Release build.
dotnet build tests/bench/XzBench -c Release -o "$work/bench" -v q -nologo >/dev/null
bench="$work/bench/XzBench.dll"

xz_t1() { xz -dc -T1 "$payload" > /dev/null; }
xz_t2() { xz -dc -T2 "$payload" > /dev/null; }
native() { dotnet "$bench" "$payload" > /dev/null; }
native_t1() { dotnet "$bench" "$payload" 1 > /dev/null; }
managed() { QUS_XZ=managed dotnet "$bench" "$payload" > /dev/null; }
ways=(xz_t1 xz_t2 native native_t1 managed)

# One run: wall seconds, peak RSS (KiB) of the largest process, CPU seconds (user, system), from GNU time.
measure() {
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" bash -c "set -euo pipefail; $(declare -f "$1"); payload=${payload@Q}; bench=${bench@Q}; $1"
  cat "$work/time"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(basename "$deb"): $(du -h "$payload" | cut -f1) of xz, $(xz -l "$payload" | awk 'NR == 2 { print $2 }') blocks, $(xz -lv "$payload" | sed -n 's/^ *Uncompressed size: *\([^(]*\).*/\1/p' | head -1)inside; $(xz --version | tail -1)"
printf '%-4s %-10s %8s %8s %12s\n' run way wall_s cpu_s peak_rss_MB
declare -A walls cpus rsss
for i in $(seq 1 "$runs"); do
  for way in "${ways[@]}"; do
    read -r wall rss user sys < <(measure "$way")
    cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
    printf '%-4s %-10s %8s %8s %12d\n' "$i" "$way" "$wall" "$cpu" $((rss / 1024))
    walls[$way]+="$wall "; cpus[$way]+="$cpu "; rsss[$way]+="$((rss / 1024)) "
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "medians (load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs):"
printf '%-10s %8s %8s %12s\n' way wall_s cpu_s peak_rss_MB
for way in "${ways[@]}"; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  printf '%-10s %8s %8s %12s\n' "$way" "$(median ${walls[$way]})" "$(median ${cpus[$way]})" "$(median ${rsss[$way]})"
done
