#!/usr/bin/env bash
# Regenerates client/idl/*.json from the programs' interface definitions, then client/src/generated/*.ts
# from those IDLs (scripts/gen-client.ts). `--check` writes nothing and fails on drift in either.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOURGLASS_ROOT"
cargo run --quiet --locked -p hourglass-idl-gen -- "$@"
node --import tsx scripts/gen-client.ts "$@"
