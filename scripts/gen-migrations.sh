#!/usr/bin/env bash
# Writes the indexer's SQL migrations (migrations/) from indexer/src/db/schema.ts with drizzle-kit.
# `--check` writes nothing: it fails when the schema has changes no committed migration covers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cp -r migrations/. "$tmp/"
  npx drizzle-kit generate --dialect sqlite --schema indexer/src/db/schema.ts --out "$tmp" >/dev/null 2>&1
  if [ "$(ls "$tmp"/*.sql | wc -l)" != "$(ls migrations/*.sql | wc -l)" ]; then
    echo "migrations/ is out of date with indexer/src/db/schema.ts: run scripts/gen-migrations.sh" >&2
    exit 1
  fi
  echo "migrations up to date"
else
  npx drizzle-kit generate --config indexer/drizzle.config.ts "$@"
fi
