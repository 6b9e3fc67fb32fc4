#!/usr/bin/env bash
# Timing: actions/register from an empty RUNNER_TEMP to registered, its run: steps executed as the runner does
# (bash, inputs and earlier steps' outputs as env), in a private binfmt_misc (user+mount namespace), against a
# loopback HTTP server holding a real local release (tools/run-pipeline's out/release/TAG). Twice: the native tool
# (the default), then from-source: true (setup-dotnet's part is the machine's SDK; the NuGet cache stays warm).
#
#   tests/bench/register-action.sh [RELEASE_FOLDER] [PLATFORMS]   (default: the newest out/release/*, arm64,riscv64)
set -euo pipefail
cd "$(dirname "$0")/../.."
release=${1:-$(find out/release -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort | tail -n 1)}
platforms=${2:-arm64,riscv64}
if [ -z "$release" ] || [ ! -f "$release/SHA256SUMS" ]; then echo "register-action.sh: no release folder: run tools/run-pipeline first, or give one" >&2; exit 2; fi
release=$(cd "$release" && pwd)
tag=$(basename "$release")
work=$(mktemp -d /tmp/qus-bench-register.XXXXXX)
server=""
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/site/download"
ln -s "$release" "$work/site/download/$tag"
port=$((20000 + RANDOM % 40000))
(cd "$work/site" && exec python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1) & server=$!
for _ in $(seq 50); do (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# The steps as one script: each step's env evaluated (inputs, steps.ID.outputs.NAME, github.*), run with bash -eo pipefail.
steps_script() { # FROM_SOURCE OUT_DIR
  python3 - "$1" "$2" <<'PY'
import os, re, shlex, sys, yaml
from_source, out = sys.argv[1], sys.argv[2]
action = yaml.safe_load(open("actions/register/action.yml"))
inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
inputs.update({"version": os.environ["QUS_VERSION"], "platforms": os.environ["QUS_PLATFORMS"], "from-source": from_source})
def value(expr):
    parts = expr.split(".")
    if parts[0] == "inputs": return shlex.quote(inputs[parts[1]])
    if parts[0] == "steps": return f'"$(sed -n \'s/^{parts[3]}=//p\' {out}/{parts[1]}.output | tail -n 1)"'
    if parts[0] == "github": return shlex.quote({"action_repository": "qemu-user-static-cs/qemu-user-static"}[parts[1]])
    raise SystemExit(f"unsupported expression {expr}")
for step in action["runs"]["steps"]:
    if "run" not in step: continue
    sid = step["id"]
    print(f"export GITHUB_OUTPUT={out}/{sid}.output; : > \"$GITHUB_OUTPUT\"")
    for k, v in step.get("env", {}).items():
        parts = re.split(r"\$\{\{\s*([\w.-]+)\s*\}\}", v)
        print(f"export {k}=" + "".join(value(p) if i % 2 else shlex.quote(p) for i, p in enumerate(parts)))
    open(f"{out}/{sid}.sh", "w").write(step["run"])
    print(f"bash --noprofile --norc -eo pipefail {out}/{sid}.sh >{out}/{sid}.log 2>&1 || {{ cat {out}/{sid}.log; exit 1; }}")
PY
}

run() { # LABEL FROM_SOURCE
  local dir="$work/from-source-$2" start end
  mkdir -p "$dir/temp" "$dir/out"
  QUS_VERSION=${tag#v} QUS_PLATFORMS=$platforms steps_script "$2" "$dir/out" > "$dir/steps.sh"
  start=$(date +%s.%N)
  unshare --user --map-root-user --mount --fork env RUNNER_TEMP="$dir/temp" GITHUB_ACTION_PATH="$PWD/actions/register" \
    GITHUB_STEP_SUMMARY="$dir/summary.md" GITHUB_PATH="$dir/path" QUS_RELEASES_URL="http://127.0.0.1:$port" \
    sh -c "mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && bash $dir/steps.sh && ls /proc/sys/fs/binfmt_misc | grep -c '^qemu-' > $dir/registered"
  end=$(date +%s.%N)
  printf '%-28s %6.2f s  (%s entries registered, platforms %s)\n' "$1" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    "$(cat "$dir/registered")" "$(sed -n 's/^platforms=//p' "$dir/out/register.output")"
}

echo "release $release, platforms $platforms"
run "native tool (default)" false
run "from-source: true" true
