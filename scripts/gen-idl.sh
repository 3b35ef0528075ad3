#!/usr/bin/env bash
# Regenerates client/idl/*.json from the programs' interface definitions. `--check` fails on drift.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOURGLASS_ROOT"
cargo run --quiet --locked -p hourglass-idl-gen -- "$@"
