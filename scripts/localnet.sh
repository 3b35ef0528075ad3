#!/usr/bin/env bash
# The README main command: set up (idempotent), build the programs, start the local network on its
# embedded default. Options go to scripts/localnet.ts (--once, --json, --rpc-port N, --orchestrator-port N, --ray-port-base N, --explorer-port N, --db PATH,
# --hour-seconds N).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOURGLASS_ROOT"
bash scripts/setup.sh
bash scripts/build-programs.sh
# Node 20's V8 can abort in a minor GC under allocation-site pretenuring; the flag avoids it.
exec node --no-allocation-site-pretenuring --import tsx scripts/localnet.ts "$@"
