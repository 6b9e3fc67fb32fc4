#!/usr/bin/env bash
# Prints the items of an action input that holds a list: separated by commas or newlines, each trimmed, empty ones
# dropped; one item a line, for `while IFS= read -r item; do ...; done < <(list-items.sh "$INPUT_X")`.
set -euo pipefail
tr ',' '\n' <<< "${1:-}" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//; /^$/d'
