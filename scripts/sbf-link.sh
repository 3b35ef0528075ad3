#!/usr/bin/env bash
# The "linker" rustc calls for bpfel-unknown-none (see build-programs.sh). rustc hands over LLVM bitcode;
# bpf-linker links and compiles it to one relocatable eBPF object, then hourglass-relink turns that
# into the SBPF v0 shared object the Solana runtime loads (programs/relink explains why).
set -euo pipefail
: "${BPF_LINKER:?set by build-programs.sh}" "${HOURGLASS_RELINK:?set by build-programs.sh}"
args=()
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; args+=(-o "$2.o"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$out" ] || { echo "sbf-link: no -o argument" >&2; exit 2; }
# Stack frames up to 4 KiB (the SBPF v0 frame size); no trap on unreachable (SBPF has no trap insn);
# no byte-loop memcpy/memset/memcmp: hourglass-core defines them on the runtime's memory syscalls.
"$BPF_LINKER" "${args[@]}" \
  --llvm-args=-bpf-stack-size=4096 \
  --llvm-args=--bpf-disable-trap-unreachable \
  --disable-memory-builtins
"$HOURGLASS_RELINK" "$out.o" "$out"
