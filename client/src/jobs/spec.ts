// The renter's job spec (issue 14): its zod schema in two forms (as the renter writes it, with
// `runtime_env.working_dir` a local directory; and as it is stored and hashed, with the directory
// replaced by its package URI), the parser that turns any refusal into one JobSpecError naming the
// field, and the spec's canonical JSON and sha256: the 32 bytes `create_lease` will carry on-chain.
// Nothing here touches the file system, so a browser can use it; packaging lives in ./package.ts.
import { sha256 } from "@noble/hashes/sha256";
import { z } from "zod";

/** A refused job spec or working directory. `path` is the offending field, dotted ("runtime_env.pip.3"); "" for the whole document. */
export class JobSpecError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || "job spec"}: ${reason}`);
    this.name = "JobSpecError";
  }
}

export const MAX_ENTRYPOINT_BYTES = 4096;
export const MAX_ARGS = 64;
export const MAX_ARG_CHARS = 4096;
export const MAX_PIP = 64;
export const MAX_PIP_CHARS = 256;
export const MAX_ENV_VARS = 64;
export const MAX_ENV_VALUE_CHARS = 32 * 1024;
export const MAX_METADATA = 32;
export const MAX_METADATA_KEY_CHARS = 64;
export const MAX_METADATA_VALUE_CHARS = 256;
export const MAX_RETRIES = 10;
/** Environment variable prefixes the orchestrator sets itself; a spec may not. */
export const RESERVED_ENV_PREFIXES = ["HOURGLASS_", "RAY_"] as const;

/** The package URI a working directory becomes: Ray's `gcs://_ray_pkg_<hex>.zip`, <hex> the first 16 bytes of the zip's sha256. */
export const PACKAGE_URI = /^gcs:\/\/_ray_pkg_[0-9a-f]{32}\.zip$/;

const utf8 = new TextEncoder();
// Any C0 control character or DEL (tab and newline included): not in a name, a requirement or an argument list entry.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL cannot be passed through a command line or the environment
const NUL = /\u0000/;

const noNul = (what: string) => z.string().refine((s) => !NUL.test(s), `${what} must not contain NUL`);

const entrypoint = noNul("a command line")
  .refine((s) => s.trim().length > 0, "must not be empty")
  .refine((s) => utf8.encode(s).length <= MAX_ENTRYPOINT_BYTES, `longer than ${MAX_ENTRYPOINT_BYTES} bytes`);

const template = z.string().regex(/^[a-z0-9-]{1,64}$/, "a template name is 1 to 64 of [a-z0-9-]");

const args = z.array(noNul("an argument").max(MAX_ARG_CHARS, `longer than ${MAX_ARG_CHARS} characters`)).max(MAX_ARGS, `more than ${MAX_ARGS} arguments`);

// A requirement as pip reads it from a requirements file, restricted to the plain form: a project name,
// optional extras, optional version specifiers, optional environment marker. Options (`-e`, `--index-url`),
// paths, URLs and direct references (`name @ url`) are refused: the cluster installs from its index only.
const VERSION_SPEC = String.raw`(?:===|==|!=|<=|>=|~=|<|>)\s*[A-Za-z0-9.*+!_-]+`;
const REQUIREMENT = new RegExp(
  "^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?" +
    String.raw`(?:\s*\[\s*[A-Za-z0-9._-]+(?:\s*,\s*[A-Za-z0-9._-]+)*\s*\])?` +
    String.raw`(?:\s*${VERSION_SPEC}(?:\s*,\s*${VERSION_SPEC})*)?` +
    String.raw`(?:\s*;\s*[^;]+)?$`,
);
const requirement = z
  .string()
  .max(MAX_PIP_CHARS, `longer than ${MAX_PIP_CHARS} characters`)
  .refine((s) => !CONTROL.test(s), "must be one line without control characters")
  .refine((s) => REQUIREMENT.test(s.trim()), "not a plain requirement (name[extras] specifiers ; marker); options, paths and URLs are refused");

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, "not a valid environment variable name ([A-Z_][A-Z0-9_]*)")
  .max(128, "longer than 128 characters")
  .refine((k) => !RESERVED_ENV_PREFIXES.some((p) => k.startsWith(p)), "reserved name");
const envVars = z
  .record(envName, noNul("a value").max(MAX_ENV_VALUE_CHARS, `longer than ${MAX_ENV_VALUE_CHARS} characters`))
  .refine((r) => Object.keys(r).length <= MAX_ENV_VARS, `more than ${MAX_ENV_VARS} entries`);

const metadataKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "a metadata key starts with a letter or digit and holds [A-Za-z0-9._/-]")
  .max(MAX_METADATA_KEY_CHARS, `longer than ${MAX_METADATA_KEY_CHARS} characters`);
const metadata = z
  .record(metadataKey, z.string().max(MAX_METADATA_VALUE_CHARS, `longer than ${MAX_METADATA_VALUE_CHARS} characters`))
  .refine((r) => Object.keys(r).length <= MAX_METADATA, `more than ${MAX_METADATA} entries`);

/** A local directory path, as the renter gives it (the CLI packages it before anything is hashed or sent). */
const localDir = noNul("a path").min(1, "must not be empty").max(4096, "longer than 4096 characters");
const packageUri = z.string().regex(PACKAGE_URI, "expected a package URI gcs://_ray_pkg_<32 hex>.zip (package the directory first)");

function jobSpecSchema<W extends z.ZodType<string>>(workingDir: W) {
  return z
    .strictObject({
      entrypoint: entrypoint.optional(),
      template: template.optional(),
      args: args.optional(),
      runtime_env: z
        .strictObject({
          working_dir: workingDir.optional(),
          pip: z.array(requirement).max(MAX_PIP, `more than ${MAX_PIP} requirements`).default([]),
          env_vars: envVars.default({}),
        })
        .prefault({}),
      max_retries: z
        .number()
        .int(`an integer from 0 to ${MAX_RETRIES}`)
        .min(0, `an integer from 0 to ${MAX_RETRIES}`)
        .max(MAX_RETRIES, `an integer from 0 to ${MAX_RETRIES}`)
        .default(0),
      metadata: metadata.default({}),
    })
    .superRefine((s, ctx) => {
      if (s.entrypoint !== undefined && s.template !== undefined)
        ctx.addIssue({ code: "custom", path: ["entrypoint"], message: "give either an entrypoint or a template, not both" });
      else if (s.entrypoint === undefined && s.template === undefined)
        ctx.addIssue({ code: "custom", path: ["entrypoint"], message: "missing: give an entrypoint or a template" });
      else if (s.args !== undefined && s.template === undefined) ctx.addIssue({ code: "custom", path: ["args"], message: "only with a template" });
    });
}

/** The job spec as the renter writes it: `runtime_env.working_dir`, when given, is a local directory. */
export const JobSpecSchema = jobSpecSchema(localDir);
/** The job spec as it is stored, sent and hashed: `runtime_env.working_dir`, when given, is its package URI. */
export const ResolvedJobSpecSchema = jobSpecSchema(packageUri);

/** What a renter may write (defaults not yet applied). */
export type JobSpecInput = z.input<typeof JobSpecSchema>;
/** A parsed spec, defaults applied, working_dir still a local path. */
export type JobSpec = z.output<typeof JobSpecSchema>;
/** A parsed spec whose working_dir (if any) is a package URI: the form that is hashed. */
export type ResolvedJobSpec = z.output<typeof ResolvedJobSpecSchema>;

// What zod says for the issues the schema's own messages do not cover (wrong types, mostly).
const fallback: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === "invalid_type") return iss.input === undefined ? "missing" : `expected ${iss.expected === "record" ? "an object" : iss.expected}`;
  return undefined;
};

function issueError(iss: z.core.$ZodIssue): JobSpecError {
  const path = iss.path.map(String);
  if (iss.code === "unrecognized_keys") return new JobSpecError([...path, [...iss.keys].sort()[0]].join("."), "unknown field");
  if (iss.code === "invalid_key") return new JobSpecError(path.join("."), iss.issues[0]?.message ?? iss.message);
  if (iss.code === "invalid_type" && path.length === 0) return new JobSpecError("", "expected a JSON object");
  return new JobSpecError(path.join("."), iss.message);
}

// zod drops an own "__proto__" key from records without a word; a spec that says one is refused instead.
// The spec's objects lie at most two deep (runtime_env.env_vars), so deeper input is left to the schema.
function refuseProtoKeys(value: unknown, path: string[]): void {
  if (value === null || typeof value !== "object" || path.length > 2) return;
  if (Object.hasOwn(value, "__proto__")) throw new JobSpecError([...path, "__proto__"].join("."), "not a valid key");
  for (const [k, v] of Object.entries(value)) refuseProtoKeys(v, [...path, k]);
}

function parseWith<S extends typeof JobSpecSchema | typeof ResolvedJobSpecSchema>(schema: S, json: unknown): z.output<S> {
  refuseProtoKeys(json, []);
  const r = schema.safeParse(json, { error: fallback });
  if (!r.success) throw issueError(r.error.issues[0]);
  const spec = r.data as z.output<S>;
  // A template with no arguments has an empty argument list, so both spellings hash alike.
  if (spec.template !== undefined && spec.args === undefined) spec.args = [];
  return spec;
}

/** Parses a job spec as the renter wrote it (working_dir a local directory), defaults applied; throws JobSpecError naming the field. */
export function parseJobSpec(json: unknown): JobSpec {
  return parseWith(JobSpecSchema, json);
}

/** Parses a stored or received spec (working_dir a package URI), defaults applied; throws JobSpecError naming the field. */
export function parseResolvedJobSpec(json: unknown): ResolvedJobSpec {
  return parseWith(ResolvedJobSpecSchema, json);
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, the order of `Array.prototype.sort`) at every
 * depth, no whitespace, strings and numbers as `JSON.stringify` writes them, absent optional fields
 * omitted. Only plain JSON values (objects, arrays, strings, finite numbers, booleans, null).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonicalJson: not a finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
}

/**
 * The spec's 32-byte hash: sha256 over the canonical JSON of the resolved spec with its defaults applied
 * (max_retries 0, metadata {}, runtime_env { pip: [], env_vars: {} }, a template's args []), so key order,
 * whitespace and spelled-out defaults do not change it. The working_dir is its package URI, itself a hash
 * of the zip, so the hash covers the code's content too. This is what `create_lease` will carry on-chain
 * and what the orchestrator checks a delivered spec against. A spec whose working_dir is still a local
 * path is refused (package it first: `resolveJobSpec`).
 */
export function jobSpecHash(spec: unknown): Uint8Array {
  return sha256(utf8.encode(canonicalJson(parseResolvedJobSpec(spec))));
}
