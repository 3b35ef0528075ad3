#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: toolchain packages, the pinned SBF linker, npm
# dependencies and the Ray virtualenv. Each step checks first and skips what is already in place, so
# a second run takes seconds. Both README commands run this first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOURGLASS_ROOT"

step() { printf '[setup] %s\n' "$*"; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

# 1. Debian packages: Rust 1.96 with prebuilt core/alloc for bpfel-unknown-none, LLVM 22 for the linker.
#    g++/make build better-sqlite3's native addon; chromium is the explorer tests' headless browser.
APT_PACKAGES=(rustc-web cargo-web libstd-rust-web-dev-bpf llvm-22 llvm-22-dev python3-venv g++ make chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  step "Debian packages present"
fi

# 2. Host Rust (cargo test, the linker build): rustup's cargo if present, else Debian's.
if ! command -v cargo >/dev/null; then
  export PATH="$PATH:/usr/bin"
fi

# 2b. rustfmt and clippy for the test command's format and lint checks (rustup's components).
if command -v rustup >/dev/null; then
  if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
    step "rustfmt and clippy present"
  else
    step "rustup component add rustfmt clippy"
    rustup component add rustfmt clippy
  fi
fi

# 3. bpf-linker (links rustc's bitcode into one eBPF object), pinned, built against LLVM 22.
#    hourglass-relink (programs/relink) then makes the SBPF v0 shared object; build-programs.sh builds it.
linker_version=$("$BPF_LINKER" --version 2>/dev/null | head -n1 || true)
if [ "$linker_version" = "bpf-linker $BPF_LINKER_VERSION" ]; then
  step "bpf-linker $BPF_LINKER_VERSION present"
else
  step "cargo install bpf-linker $BPF_LINKER_VERSION (a few minutes, once per machine)"
  LLVM_SYS_221_PREFIX="$LLVM_PREFIX" LLVM_PREFIX="$LLVM_PREFIX" cargo install bpf-linker \
    --version "=$BPF_LINKER_VERSION" --locked --no-default-features --features llvm-22 \
    --root "$(dirname "$(dirname "$BPF_LINKER")")" --quiet
fi

# 4. npm dependencies at the versions in the lock file; re-run only when the lock file changed.
#    Native addons (better-sqlite3) build against Debian's Node headers, never downloaded ones.
[ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
#    (`npm install`, not `npm ci`: litesvm 0.8.0 names platform packages that were never published, so
#    the lock file cannot list them and `npm ci` refuses it.)
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/.hourglass-lock ] && [ "$(cat node_modules/.hourglass-lock)" = "$lock_hash" ]; then
  step "npm dependencies present"
else
  step "npm install (from package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.hourglass-lock
fi
if ! node -e 'new (require("better-sqlite3"))(":memory:").close()' 2>/dev/null; then
  step "building better-sqlite3 for this Node"
  npm rebuild better-sqlite3 --loglevel=error
fi

# 5-6. Pinned Python tools, each in its own virtualenv: Ray (dashboard + Jobs REST API) and
#      Schemathesis (API fuzzing from the OpenAPI document).
pip_tool() { # venv, distribution, requirement, version
  if [ -x "$1/bin/python" ] && "$1/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('$2') != '$4')" 2>/dev/null; then
    step "$3 present"
  else
    step "pip install $3 into $1"
    python3 -m venv "$1"
    "$1/bin/pip" install --quiet --disable-pip-version-check "$3"
  fi
}
pip_tool "$RAY_VENV" ray "ray[default]==$RAY_VERSION" "$RAY_VERSION"
pip_tool "$SCHEMATHESIS_VENV" schemathesis "schemathesis==$SCHEMATHESIS_VERSION" "$SCHEMATHESIS_VERSION"
step "done"
