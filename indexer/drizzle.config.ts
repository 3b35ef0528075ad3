// drizzle-kit: `scripts/gen-migrations.sh` writes migrations/ from src/db/schema.ts (and --check fails on drift).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./indexer/src/db/schema.ts",
  out: "./migrations",
});
