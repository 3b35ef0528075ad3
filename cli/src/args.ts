// Argument parsing for the CLI: `<command> --name value --flag`, every option validated, unknown
// options rejected. Other command lines (the local network's launcher) give their own grammar.
import { PublicKey } from "@solana/web3.js";

export class UsageError extends Error {}

const FLAGS = ["json", "stable", "co-stake"];

/** A command line's words beyond `--name value`: by default the CLI's. */
export interface Grammar {
  /** Options that take no value (default: the CLI's --json, --stable, --co-stake). */
  flags?: readonly string[];
  /** Every option that takes a value, with what it needs ("a port number (0-65535)"): given, any other
   *  option is refused while parsing, and a missing or bad value is reported as `--name needs <what>`. */
  options?: Readonly<Record<string, string>>;
}

export class Parsed {
  private readonly used = new Set<string>();
  /** Options taken from the environment, with the variable's name (for messages). */
  private readonly fromEnv = new Map<string, string>();

  constructor(
    readonly command: string,
    private readonly options: Map<string, string>,
    private readonly flags: Set<string>,
    private readonly needs: Readonly<Record<string, string>> = {},
  ) {}

  /** Options not given on the command line are taken from these environment variables, when set. */
  env(variables: Readonly<Record<string, string>>, environment: NodeJS.ProcessEnv = process.env): this {
    for (const [name, variable] of Object.entries(variables)) {
      const v = environment[variable];
      if (!this.options.has(name) && v !== undefined && v !== "") {
        this.options.set(name, v);
        this.fromEnv.set(name, variable);
      }
    }
    return this;
  }

  /** How a message names an option: `--name`, or `--name (from $VARIABLE)`. */
  label(name: string): string {
    const v = this.fromEnv.get(name);
    return v ? `--${name} (from $${v})` : `--${name}`;
  }

  flag(name: string): boolean {
    this.used.add(name);
    return this.flags.has(name);
  }

  opt(name: string): string | undefined {
    this.used.add(name);
    return this.options.get(name);
  }

  required(name: string): string {
    const v = this.opt(name);
    if (v === undefined) throw new UsageError(`--${name} is required for ${this.command}`);
    return v;
  }

  pubkey(name: string, value?: string): PublicKey {
    const v = value ?? this.required(name);
    try {
      return new PublicKey(v);
    } catch {
      throw new UsageError(`${this.label(name)}: ${JSON.stringify(v)} is not a base58 public key`);
    }
  }

  int(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.opt(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      if (Object.hasOwn(this.needs, name)) throw new UsageError(`${this.label(name)} needs ${this.needs[name]}`);
      throw new UsageError(`${this.label(name)}: ${JSON.stringify(v)} must be an integer from ${min} to ${max}`);
    }
    return Number(v);
  }

  intRequired(name: string, min: number, max: number): number {
    this.required(name);
    return this.int(name, min, max)!;
  }

  /** A token amount in base units: a positive integer that fits in a u64. */
  amount(name: string): bigint {
    const v = this.required(name);
    if (!/^\d+$/.test(v) || BigInt(v) === 0n || BigInt(v) > 2n ** 64n - 1n) {
      throw new UsageError(`${this.label(name)}: ${JSON.stringify(v)} must be a positive integer number of base units below 2^64`);
    }
    return BigInt(v);
  }

  /** Rejects options the command did not read. */
  done(): void {
    for (const k of [...this.options.keys(), ...this.flags]) {
      if (!this.used.has(k) && !["keypair", "url", "priority-fee", "compute-limit", "json"].includes(k)) {
        throw new UsageError(`unknown option --${k} for ${this.command}`);
      }
    }
  }
}

export function parseArgs(argv: string[], grammar: Grammar = {}): Parsed {
  const [command, ...rest] = argv;
  if (!command || command.startsWith("--")) throw new UsageError("missing command");
  const known = new Set(grammar.flags ?? FLAGS);
  const needs = grammar.options;
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith("--")) throw new UsageError(`unexpected argument ${JSON.stringify(a)}`);
    const name = a.slice(2);
    if (known.has(name)) {
      flags.add(name);
      continue;
    }
    if (needs && !Object.hasOwn(needs, name)) {
      throw new UsageError(`unknown option --${name} for ${command} (known: ${[...known, ...Object.keys(needs)].map((o) => `--${o}`).join(", ")})`);
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(needs ? `--${name} needs ${needs[name]}` : `--${name} needs a value`);
    if (options.has(name)) throw new UsageError(`--${name} given twice`);
    options.set(name, value);
    i++;
  }
  return new Parsed(command, options, flags, needs);
}
