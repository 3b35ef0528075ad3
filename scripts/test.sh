#!/usr/bin/env bash
# The README test command: sets up the machine (idempotent), builds the programs to SBF, then runs every
# suite: Rust host tests (cargo test), rustfmt and clippy, biome (TypeScript format and lints), the TypeScript type check, the drift
# check of the IDLs and the TypeScript generated from them, and the mocha suites that execute the
# SBF programs in LiteSVM and solana-bankrun. Ends with one line: "N passed, N failed".
# Extra arguments go to mocha (e.g. `bash scripts/test.sh tests/idl.test.ts`).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOURGLASS_ROOT"

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/build-programs.sh || { echo "program build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
status=0
logdir="$HOURGLASS_ROOT/target/test-logs"
mkdir -p "$logdir"

echo "== cargo test (host) =="
cargo test --locked --workspace 2>&1 | tee "$logdir/cargo.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
while read -r p f; do
  passed=$((passed + p)); failed=$((failed + f))
done < <(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$logdir/cargo.log")

echo "== rustfmt --check, clippy (warnings denied) =="
if cargo fmt --all -- --check && cargo clippy --workspace --all-targets --locked --quiet -- -D warnings; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
fi

echo "== biome: TypeScript and JSON formatting and lints (warnings denied) =="
if npx biome ci --error-on-warnings --colors=off .; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
fi

echo "== tsc --noEmit =="
if npx tsc --noEmit -p tsconfig.json; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
fi

echo "== IDL and generated TypeScript match the programs (gen-idl.sh --check) =="
if bash scripts/gen-idl.sh --check; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
fi

echo "== indexer migrations match the schema =="
if bash scripts/gen-migrations.sh --check; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
fi

echo "== mocha (SBF programs in LiteSVM and solana-bankrun) =="
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=("tests/**/*.test.ts")
npx mocha "${specs[@]}" 2>&1 | tee "$logdir/mocha.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
mp=$(sed -n 's/^ *\([0-9]*\) passing.*/\1/p' "$logdir/mocha.log" | tail -n1)
mf=$(sed -n 's/^ *\([0-9]*\) failing.*/\1/p' "$logdir/mocha.log" | tail -n1)
mpend=$(sed -n 's/^ *\([0-9]*\) pending.*/\1/p' "$logdir/mocha.log" | tail -n1)
if [ -z "$mp" ] && [ -z "$mf" ]; then
  echo "mocha reported no results"; failed=$((failed + 1)); status=1
fi
passed=$((passed + ${mp:-0})); failed=$((failed + ${mf:-0}))
if [ -n "$mpend" ] && [ "$mpend" != 0 ]; then
  echo "$mpend pending (skipped) tests: a skipped test proves nothing"; failed=$((failed + mpend)); status=1
fi

[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
