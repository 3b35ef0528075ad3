# Shared settings for the scripts (sourced). Tools install per machine under HOURGLASS_TOOLS so a fresh
# clone on the same machine reuses them; everything else stays inside the checkout.
export HOURGLASS_ROOT="${HOURGLASS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export HOURGLASS_TOOLS="${HOURGLASS_TOOLS:-$HOME/.cache/hourglass}"
# Pinned versions (README "Toolchain").
export BPF_LINKER_VERSION="0.13.0"
export RAY_VERSION="2.60.0"
export BPF_LINKER="$HOURGLASS_TOOLS/bpf-linker-$BPF_LINKER_VERSION/bin/bpf-linker"
export HOURGLASS_RELINK="$HOURGLASS_ROOT/target/release/hourglass-relink"
export RAY_VENV="$HOURGLASS_TOOLS/venv-ray-$RAY_VERSION"
# Schemathesis fuzzes the indexer API from its OpenAPI document (tests/indexer-fuzz.test.ts).
export SCHEMATHESIS_VERSION="4.32.5"
export SCHEMATHESIS_VENV="$HOURGLASS_TOOLS/venv-schemathesis-$SCHEMATHESIS_VERSION"
# Debian's rustc-web ships core/alloc for bpfel-unknown-none; rustup's toolchain stays for host builds.
export SBF_RUSTC=/usr/bin/rustc
export SBF_CARGO=/usr/bin/cargo
export LLVM_PREFIX=/usr/lib/llvm-22
export PROGRAMS_DIR="$HOURGLASS_ROOT/target/deploy"
# Programs built to SBF: crate hourglass-<name> -> target/deploy/hourglass_<name>.so
export HOURGLASS_PROGRAMS="staking leases rewards"
