#!/usr/bin/env bash
# The README main command: set up (idempotent), build the programs, start the local network on its
# embedded default. Options go to scripts/localnet.ts (--once, --json).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOURGLASS_ROOT"
bash scripts/setup.sh
bash scripts/build-programs.sh
exec npx tsx scripts/localnet.ts "$@"
