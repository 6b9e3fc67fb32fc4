#!/usr/bin/env bash
# Benchmark: the container images of one qemu-user-static release built the original's way (its Dockerfiles and
# `docker build`, as multiarch/qemu-user-static's run.sh/update.sh do) and with qus-images, from the same binaries,
# on the same Docker engine, on the same local busybox base. Reports wall time of the build, of the push to a local
# registry, and the bytes each registry stores. The push of qus-images' layout is timed two ways, alternately, each
# round into fresh registries: qus-push (our registry client) and the shell way, `skopeo copy --all
# --preserve-digests` of each tag in turn. Then loads every distinct image of qus-images' layout into the engine
# with skopeo (`skopeo copy oci:… docker-daemon:…`, qus-test's way before) and with qus-test's own loader (a
# docker-archive streamed into `docker load`), alternately LOAD_ROUNDS times (default 2), checking both give the
# same image IDs, the layout's config digests.
#
#   [ROUNDS=3] tests/bench/images.sh [EMULATOR ...]    (default: every /usr/bin/qemu-*-static of this machine)
#
# Needs what tests/prepare-machine installs (docker engine, docker-registry, skopeo, jq, busybox-static, qemu-user-static).
# The original adds qemu-binfmt-conf.sh from GitHub; this machine has no internet, so a local file takes its place.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/qus-bench-images.XXXXXX)
repo=qus-bench/qemu-user-static
version=7.2-bench
from=x86_64
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^(qus-bench/|127\.0\.0\.1:[0-9]+/qus-bench)" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
blob_bytes() { find "$1/docker/registry/v2/blobs" -name data -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
free_port() { # a port nothing listens on
  local port
  while port=$((20000 + RANDOM % 40000)); (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do :; done
  echo "$port"
}
registry() { # NAME -> sets $address to a fresh docker-registry with its own storage (not in a subshell: pids)
  local dir="$work/$1" port; port=$(free_port); mkdir -p "$dir"
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:%s\n  secret: bench\n' "$dir" "$port" > "$dir/config.yml"
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 & pids+=($!)
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  address="127.0.0.1:$port"
}

echo "== preparing inputs in $work"
for project in Qus.Tarballs Qus.Images Qus.Push; do dotnet build -c Release -v q --nologo "tools/$project" >/dev/null; done
dotnet build tests/bench/DockerLoadBench -c Release -o "$work/load-bench" -v q -nologo >/dev/null
if (($#)); then targets=("$@"); else
  mapfile -t targets < <(find /usr/bin -maxdepth 1 -name 'qemu-*-static' -printf '%f\n' | sed 's|^qemu-||; s|-static$||' | grep -vx "$from" | sort)
fi
# The qus-tarballs output folder both ways start from (step 1, made before timing): binaries, tarballs, manifest.json.
mkdir -p "$work/emulators"
for t in "${targets[@]}"; do cp "/usr/bin/qemu-$t-static" "$work/emulators/"; done
input="$work/input"
SOURCE_DATE_EPOCH=1700000000 dotnet exec tools/Qus.Tarballs/bin/Release/net10.0/qus-tarballs.dll \
  --input "$work/emulators" --output "$input" --from-arch "$from" >/dev/null 2>&1
# The release tarballs the original's Dockerfiles ADD are qus-tarballs' ${from}_qemu-TARGET-static.tar.gz.
for t in "${targets[@]}"; do cp "$input/${from}_qemu-$t-static.tar.gz" "$work/"; done
# One local busybox base for both: Debian's busybox-static in the daemon (FROM busybox) and as an OCI layout.
mkdir -p "$work/rootfs/bin"; cp /bin/busybox "$work/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$work/rootfs/bin/$a"; done
tar -C "$work/rootfs" -c . | docker import -c 'CMD ["sh"]' - qus-bench/busybox:latest >/dev/null
skopeo copy -q docker-daemon:qus-bench/busybox:latest "oci:$work/base:latest"
# shellcheck disable=SC2016 # the script's own variables
printf '#!/bin/sh\nexec /qemu-binfmt-conf.sh --qemu-suffix "-static" --qemu-path "${QEMU_BIN_DIR:-/usr/bin}" "$@"\n' > "$work/register.sh"
chmod +x "$work/register.sh"
head -c 12000 /dev/urandom | base64 > "$work/qemu-binfmt-conf.sh"   # stands in for the file the original downloads
echo "${#targets[@]} emulators, $(du -sb "$work/emulators" | cut -f1 | xargs -I{} awk -v b={} 'BEGIN{printf "%.0f MiB", b/1048576}') of binaries"

echo "== original: docker build per Dockerfile (FROM scratch + ADD tarball; latest FROM busybox + COPY qemu-*-static)"
export DOCKER_BUILDKIT=0
start=$(now)
for t in "${targets[@]}"; do
  dir="$work/original/${from}_qemu-$t"; mkdir -p "$dir"
  cp "$work/${from}_qemu-$t-static.tar.gz" "$dir/"
  printf 'FROM scratch\nADD %s_qemu-%s-static.tar.gz /usr/bin\n' "$from" "$t" > "$dir/Dockerfile"
  docker build -q --no-cache -t "$repo:$from-$t-$version" "$dir" >/dev/null 2>&1
  for alias in "$from-$t" "$t-$version" "$t"; do docker tag "$repo:$from-$t-$version" "$repo:$alias"; done
done
latest="$work/original/latest"; mkdir -p "$latest"
cp "$input"/qemu-*-static "$work/register.sh" "$work/qemu-binfmt-conf.sh" "$latest/"
cat > "$latest/Dockerfile" <<'DOCKERFILE'
FROM qus-bench/busybox
ENV QEMU_BIN_DIR=/usr/bin
ADD ./register.sh /register
ADD ./qemu-binfmt-conf.sh /qemu-binfmt-conf.sh
RUN chmod +x /qemu-binfmt-conf.sh
COPY qemu-*-static /usr/bin/
ENTRYPOINT ["/register"]
DOCKERFILE
docker build -q --no-cache --network none -t "$repo:$version" "$latest" >/dev/null 2>&1
docker tag "$repo:$version" "$repo:latest"
register="$work/original/register"; mkdir -p "$register"
cp "$work/register.sh" "$work/qemu-binfmt-conf.sh" "$register/"
sed '/^COPY qemu/ s/^/#/' "$latest/Dockerfile" > "$register/Dockerfile"
docker build -q --no-cache --network none -t "$repo:register" "$register" >/dev/null 2>&1
original_build=$(seconds "$start" "$(now)")

registry original; original_registry=$address
start=$(now)
docker images --format '{{.Tag}}' "$repo" | while read -r tag; do
  docker tag "$repo:$tag" "$original_registry/$repo:$tag"
done
docker push -q --all-tags "$original_registry/$repo" >/dev/null
original_push=$(seconds "$start" "$(now)")
original_bytes=$(blob_bytes "$work/original/data")
original_tags=$(docker images --format '{{.Tag}}' "$repo" | wc -l)

echo "== qus-images: one daemonless build, then qus-push"
start=$(now)
dotnet exec tools/Qus.Images/bin/Release/net10.0/qus-images.dll --input "$input" --output "$work/layout" \
  --base "oci:$work/base:latest" --tag-version "$version" > "$work/qus-images.out" 2> "$work/qus-images.err"
ours_build=$(seconds "$start" "$(now)")
ours_tags=$(wc -l < "$work/qus-images.out")
mapfile -t layout_tags < <(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$work/layout/index.json")
pushes=() skopeo_pushes=()
for round in $(seq "${ROUNDS:-3}"); do
  registry "ours-$round"; ours_registry=$address
  start=$(now)
  dotnet exec tools/Qus.Push/bin/Release/net10.0/qus-push.dll --layout "$work/layout" --to "$ours_registry/$repo" \
    --dest-tls-verify=false > "$work/qus-push.out" 2> "$work/qus-push.err"
  pushes+=("$(seconds "$start" "$(now)")")
  registry "skopeo-$round"; skopeo_registry=$address
  start=$(now)
  for tag in "${layout_tags[@]}"; do
    skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$work/layout:$tag" "docker://$skopeo_registry/$repo:$tag"
  done
  skopeo_pushes+=("$(seconds "$start" "$(now)")")
done
range() { printf '%s\n' "$@" | sort -n | sed -n '1p;$p' | paste -sd- | sed 's/^\([^-]*\)-\1$/\1/'; }
ours_push=$(printf '%s\n' "${pushes[@]}" | sort -n | head -1) # the fastest, for the ratio below
ours_bytes=$(blob_bytes "$work/ours-1/data")
skopeo_bytes=$(blob_bytes "$work/skopeo-1/data")
# The same images both ways: each tag of the two registries links the same manifest digest.
tag_links() { (cd "$work/$1/data/docker/registry/v2/repositories/$repo/_manifests/tags" && grep -r . --include=link . | sort); }
[ "$(tag_links ours-1)" = "$(tag_links skopeo-1)" ] || { echo "images.sh: qus-push and skopeo stored other manifests" >&2; exit 1; }

echo
printf '| %s | %s | %s | %s | %s |\n' "way" "tags" "build" "push" "registry stores"
printf '| %s | %s | %s | %s | %s |\n' "---" "---" "---" "---" "---"
printf '| %s | %s | %s s | %s s | %s |\n' "original (docker build)" "$original_tags" "$original_build" "$original_push" "$(mib "$original_bytes")"
printf '| %s | %s | %s s | %s s | %s |\n' "qus-images + qus-push" "$ours_tags" "$ours_build" "$(range "${pushes[@]}")" "$(mib "$ours_bytes")"
printf '| %s | %s | – | %s s | %s |\n' "qus-images + skopeo copy per tag" "${#layout_tags[@]}" "$(range "${skopeo_pushes[@]}")" "$(mib "$skopeo_bytes")"
echo "push, ${ROUNDS:-3} rounds alternately: qus-push ${pushes[*]} s; skopeo copy per tag ${skopeo_pushes[*]} s"
awk -v ob="$original_build" -v nb="$ours_build" -v op="$original_push" -v np="$ours_push" -v obytes="$original_bytes" -v nbytes="$ours_bytes" 'BEGIN {
  printf "build: %.1fx faster (goal >= 5x); build+push: %.1fx faster; registry bytes: %.0f%% of the original (goal <= 55%%)\n",
    ob / nb, (ob + op) / (nb + np), 100 * nbytes / obytes }'

echo
echo "== loading every distinct image of the layout into Docker: skopeo, then ours, alternately"
mapfile -t images < <(awk '!seen[$2]++ { print $1 }' "$work/qus-images.out")
loaded_ids() { docker images --no-trunc --format '{{.Tag}} {{.ID}}' "$1" | sort; }
unload() { docker images --format '{{.Repository}}:{{.Tag}}' "$1" | xargs -r docker rmi -f >/dev/null; }
load_skopeo() {
  for tag in "${images[@]}"; do skopeo copy -q "oci:$work/layout:$tag" "docker-daemon:qus-bench/load-skopeo:$tag"; done
}
load_ours() {
  dotnet exec "$work/load-bench/DockerLoadBench.dll" "$work/layout" linux/amd64 qus-bench/load-ours "${images[@]}" | sort > "$work/config-digests"
}
skopeo_load=() ours_load=()
for round in $(seq "${LOAD_ROUNDS:-2}"); do
  for way in skopeo ours; do
    start=$(now); "load_$way"; elapsed=$(seconds "$start" "$(now)")
    if [ "$way" = skopeo ]; then skopeo_load+=("$elapsed"); else ours_load+=("$elapsed"); fi
    loaded_ids "qus-bench/load-$way" > "$work/ids-$way"; unload "qus-bench/load-$way"
  done
  cmp -s "$work/ids-skopeo" "$work/ids-ours" || { echo "round $round: skopeo and ours loaded different image IDs" >&2; exit 1; }
  cmp -s "$work/config-digests" "$work/ids-ours" || { echo "round $round: image IDs are not the layout's config digests" >&2; exit 1; }
done
printf '| %s | %s | %s |\n' "load into Docker" "images" "wall, each round"
printf '| %s | %s | %s |\n' "---" "---" "---"
printf '| %s | %s | %s |\n' "skopeo copy oci: docker-daemon:" "${#images[@]}" "${skopeo_load[*]/%/ s}"
printf '| %s | %s | %s |\n' "DockerLoad (docker load stdin)" "${#images[@]}" "${ours_load[*]/%/ s}"
echo "same image IDs both ways, each the layout's config digest"
