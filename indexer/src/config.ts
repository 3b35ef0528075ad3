// The indexer's configuration from the environment, validated once at start-up: a bad or missing
// value stops the process with a message naming the variable.
import { z } from "zod";

/** A whole number from the environment: digits only (an empty or blank value is refused, not read as 0). */
const whole = (min: number, max: number, dflt: number) =>
  z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(z.number().min(min).max(max)).default(dflt);

const Env = z
  .object({
    INDEXER_DB: z.string().min(1).default("target/indexer.sqlite"),
    INDEXER_HOST: z.string().min(1).default("127.0.0.1"),
    INDEXER_PORT: whole(0, 65_535, 8787),
    /** rpc: poll a JSON-RPC endpoint; helius: webhook + helius-sdk backfill; none: serve the database as it is. */
    INDEXER_SOURCE: z.enum(["rpc", "helius", "none"]).default("rpc"),
    RPC_URL: z.url().optional(),
    ANCHOR_PROVIDER_URL: z.url().optional(),
    RPC_COMMITMENT: z.enum(["confirmed", "finalized"]).default("confirmed"),
    RPC_POLL_MS: whole(100, 86_400_000, 2000),
    HELIUS_API_KEY: z.string().min(1).optional(),
    HELIUS_NETWORK: z.enum(["mainnet", "devnet"]).default("mainnet"),
    HELIUS_WEBHOOK_AUTH: z.string().min(16, "must be at least 16 characters").optional(),
    HELIUS_BACKFILL_MS: whole(10_000, 86_400_000, 300_000),
    TOKEN_DECIMALS: whole(0, 18, 6),
  })
  .superRefine((e, ctx) => {
    if (e.INDEXER_SOURCE === "rpc" && !e.RPC_URL && !e.ANCHOR_PROVIDER_URL)
      ctx.addIssue({ code: "custom", path: ["RPC_URL"], message: "is required when INDEXER_SOURCE=rpc (or set ANCHOR_PROVIDER_URL)" });
    if (e.INDEXER_SOURCE === "helius" && !e.HELIUS_API_KEY)
      ctx.addIssue({ code: "custom", path: ["HELIUS_API_KEY"], message: "is required when INDEXER_SOURCE=helius" });
    if (e.INDEXER_SOURCE === "helius" && !e.HELIUS_WEBHOOK_AUTH)
      ctx.addIssue({ code: "custom", path: ["HELIUS_WEBHOOK_AUTH"], message: "is required when INDEXER_SOURCE=helius" });
  });

export type IndexerConfig = z.infer<typeof Env> & { rpcUrl?: string };

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): IndexerConfig {
  const r = Env.safeParse(env);
  if (!r.success) {
    throw new ConfigError(`invalid indexer configuration: ${r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  return { ...r.data, rpcUrl: r.data.RPC_URL ?? r.data.ANCHOR_PROVIDER_URL };
}
