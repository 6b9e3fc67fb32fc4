#!/usr/bin/env bash
# Installs one of this repository's .NET tools (tools/<Project>) at the action's own ref, for composite actions.
#
# Usage: install-tool.sh PROJECT            e.g. install-tool.sh Qus.Register
# Reads:  GITHUB_ACTION_PATH   an action folder of this repository (actions/<name>); the repository is two levels up.
#                               QUS_REPOSITORY_ROOT overrides it (local runs, tests).
#         RUNNER_TEMP          where the packed tool is cached (default: $TMPDIR or /tmp).
#         GITHUB_PATH          when set, the tool's folder is appended to it (later steps find the command).
# Prints: the absolute path of the installed command, as the last line of stdout. Progress goes to stderr.
# Idempotent: the tool is packed (dotnet pack) and installed (dotnet tool install --tool-path) once per checkout and
# sources; a second call reuses it. Nothing is written inside the repository (bin/obj go to the cache). Every tool
# packed from the same sources shares one build folder, so a job (or a test run) that installs several tools compiles
# the shared library once; installs run one at a time (flock).
set -euo pipefail

project=${1:-}
if [ -z "$project" ] || [ $# -ne 1 ]; then
  echo "usage: install-tool.sh PROJECT (a folder under tools/, e.g. Qus.Register)" >&2
  exit 2
fi

if [ -n "${QUS_REPOSITORY_ROOT:-}" ]; then
  root=$(cd "$QUS_REPOSITORY_ROOT" && pwd)
elif [ -n "${GITHUB_ACTION_PATH:-}" ]; then
  root=$(cd "$GITHUB_ACTION_PATH/../.." && pwd)
else
  echo "install-tool.sh: set GITHUB_ACTION_PATH (in an action) or QUS_REPOSITORY_ROOT" >&2
  exit 2
fi

csproj="$root/tools/$project/$project.csproj"
if [ ! -f "$csproj" ]; then
  echo "install-tool.sh: $csproj: no such project" >&2
  exit 2
fi
command=$(sed -n 's:.*<ToolCommandName>\(.*\)</ToolCommandName>.*:\1:p' "$csproj")
if [ -z "$command" ]; then
  echo "install-tool.sh: $csproj has no <ToolCommandName>" >&2
  exit 2
fi

# One cache entry per checkout and sources: a changed source is packed again, the same one never twice.
sources=$(cd "$root" && find tools global.json Directory.Build.props Directory.Packages.props -type f \
  \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' -o -name '*.md' \) \
  -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
tools="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/qus-tools"
cache="$tools/$project-$sources"
bin="$cache/bin"
# One build folder per sources for every tool: the shared library is compiled once, the next tool packs in seconds.
build="$tools/build-$sources"
mkdir -p "$tools"
# Tools installed side by side (parallel steps, tests) must not build in the same folder at the same time.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$tools/.lock"
  flock 9
fi

if [ -x "$bin/$command" ]; then
  echo "install-tool.sh: $command already installed in $bin" >&2
else
  echo "install-tool.sh: packing $project from $root" >&2
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  rm -rf "$cache"
  mkdir -p "$cache/packages"
  dotnet pack "$csproj" -c Release --nologo -v quiet -o "$cache/packages" --artifacts-path "$build" >&2
  package=$(cd "$cache/packages" && ls -- "$project".*.nupkg)
  version=${package#"$project".}
  version=${version%.nupkg}
  # Only the packed folder as a source: the tool cannot come from anywhere else.
  printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear />%s</packageSources></configuration>\n' \
    "<add key=\"qus\" value=\"$cache/packages\" />" > "$cache/nuget.config"
  dotnet tool install "$project" --version "$version" --tool-path "$cache/staging" --configfile "$cache/nuget.config" >&2
  mv "$cache/staging" "$bin"
fi

if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin" >> "$GITHUB_PATH"
fi
echo "$bin/$command"
