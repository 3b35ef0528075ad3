#!/usr/bin/env bash
# Builds every program to an SBPF v0 shared object in target/deploy/ with Debian's Rust (upstream
# bpfel-unknown-none target), bpf-linker and hourglass-relink (scripts/sbf-link.sh), then checks each
# is an ELF for EM_BPF (247).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOURGLASS_ROOT"
mkdir -p "$PROGRAMS_DIR"
cargo build --quiet --release --locked -p hourglass-relink
# target-cpu=v2: eBPF v2 has the jlt/jle family SBPF v0 implements; v3 would add 32-bit jumps it does not.
# allows-misaligned-mem-access: SBPF loads and stores need no alignment, so copies of our alignment-1
# layouts use 8-byte moves instead of byte loops.
for name in $HOURGLASS_PROGRAMS; do
  crate="hourglass-$name"
  lib="hourglass_$name"
  RUSTC="$SBF_RUSTC" CARGO_TARGET_DIR="$HOURGLASS_ROOT/target/sbf" \
    RUSTFLAGS="-C linker=$HOURGLASS_ROOT/scripts/sbf-link.sh -C panic=abort -C target-cpu=v2 -C target-feature=+allows-misaligned-mem-access" \
    "$SBF_CARGO" build --quiet --release --locked --target bpfel-unknown-none -p "$crate"
  cp "target/sbf/bpfel-unknown-none/release/lib$lib.so" "$PROGRAMS_DIR/$lib.so"
  # e_machine is the little-endian u16 at offset 18.
  machine=$(od -An -tu2 -j18 -N2 "$PROGRAMS_DIR/$lib.so" | tr -d ' ')
  if [ "$(head -c4 "$PROGRAMS_DIR/$lib.so" | od -An -c | tr -d ' ')" != "177ELF" ] || [ "$machine" != 247 ]; then
    echo "build-programs: $PROGRAMS_DIR/$lib.so is not an EM_BPF ELF (e_machine=$machine)" >&2
    exit 1
  fi
  printf '[build] %s.so  %s bytes  e_machine=%s\n' "$lib" "$(stat -c %s "$PROGRAMS_DIR/$lib.so")" "$machine"
done
