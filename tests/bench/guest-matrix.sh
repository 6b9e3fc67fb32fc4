#!/usr/bin/env bash
# Benchmark: the whole guest matrix, every target with a guest on every host of a release, in the sandbox engine:
# `qus-test --build-guests` against the images tools/run-pipeline wrote (out/images; every host's release in
# out/tarballs), the other hosts' emulators nested under this machine's. Goal: under 60 s on a 2-core machine for five
# hosts. The guest set is tools/run-pipeline's (its cache, built when it made OUT; after a change of the guest table
# the first run builds it).
# Prints the wall time of every run, qus-test's closing line and the load (`uptime`) before and after.
#
#   tests/bench/guest-matrix.sh                     RUNS=3 (default 1), OUT=DIR (default out/), HOSTS=x86_64,aarch64
#   PACKAGES=DIR tests/bench/guest-matrix.sh        run tools/run-pipeline --packages DIR first when OUT has no images
#                                                   (a folder with fetched.json; without PACKAGES it fetches)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
runs=${RUNS:-1}
out=${OUT:-$root/out}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/qus/run-pipeline

if [ ! -f "$out/images/index.json" ]; then
  echo "guest-matrix: no release in $out: running tools/run-pipeline first" >&2
  tools/run-pipeline --out "$out" --engine sandbox ${PACKAGES:+--packages "$PACKAGES"} >&2
fi
hosts=${HOSTS:-$(find "$out/tarballs" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | LC_ALL=C sort | paste -sd,)}

dotnet build tools/Qus.Test -c Release --nologo -v quiet >&2
qus_test=(dotnet "$root/tools/Qus.Test/bin/Release/net10.0/qus-test.dll")
echo "hosts: $hosts; $(nproc) cores" >&2

work=$(mktemp -d /tmp/qus-bench-guests.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "load before: $(uptime)"
for run in $(seq "$runs"); do
  start=$(date +%s.%N)
  status=0
  "${qus_test[@]}" --layout "$out/images" --engine sandbox --build-guests "$cache" --guest-hosts "$hosts" \
    --junit "$work/guests.xml" > "$work/out" 2> "$work/err" || status=$?
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  echo "run $run: ${seconds} s (exit $status) - $(tail -n 1 "$work/out")"
  if [ "$status" != 0 ]; then grep -A1 '^FAIL' "$work/out" >&2 || tail -n 20 "$work/err" >&2; fi
done
echo "load after:  $(uptime)"
