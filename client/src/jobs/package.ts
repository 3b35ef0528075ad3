// A job's working directory packaged the way `ray job submit --working-dir` packages it: one zip of the
// tree, named by its content (`gcs://_ray_pkg_<hex>.zip`), for the orchestrator to upload through the Ray
// Jobs API's package endpoints. The zip is deterministic (entries sorted, fixed timestamps, modes reduced
// to 644/755), so the same tree gives the same bytes and URI wherever it is packaged with the same zlib.
// Also `resolveJobSpec`: a renter's spec with its working_dir replaced by the package URI, and its hash.
// Node only (file system); the spec itself is in ./spec.ts.
import { constants, promises as fsp } from "node:fs";
import path from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex } from "@noble/hashes/utils";
import { JobSpecError, type JobSpecInput, jobSpecHash, parseJobSpec, type ResolvedJobSpec } from "./spec.ts";

export const MAX_WORKING_DIR_BYTES = 100 * 1024 * 1024;
/** Entries of a zip without Zip64. */
const MAX_ENTRIES = 0xffff;

/**
 * Entry names never packaged, at any depth: version-control metadata, Python's bytecode caches (they differ
 * from machine to machine and would change the URI) and local environments (machine-specific, full of links
 * out of the tree; the cluster builds its own from `runtime_env.pip`).
 */
export const SKIPPED_NAMES: readonly string[] = [".git", ".hg", ".svn", "__pycache__", ".venv", "node_modules"];

export interface PackageOptions {
  /** Refuse a tree whose files add up to more than this many bytes (uncompressed). Default 100 MiB. */
  maxBytes?: number;
  /** Entry names to leave out; default SKIPPED_NAMES. */
  skip?: readonly string[];
}

export interface PackagedDir {
  /** `gcs://_ray_pkg_<hex>.zip`, <hex> the first 16 bytes of the zip's sha256. */
  uri: string;
  zip: Buffer;
  /** Regular files packaged (directories not counted). */
  files: number;
  /** Their bytes, uncompressed. */
  bytes: number;
}

interface Entry {
  /** Relative POSIX path; directories end in "/". */
  name: string;
  data: Buffer | null;
  executable: boolean;
}

const WD = "runtime_env.working_dir";

/**
 * Packages `dir` into a deterministic zip. Refused with JobSpecError (path "runtime_env.working_dir"): a
 * missing or empty directory (no files once SKIPPED_NAMES are left out), a tree over `maxBytes`, a name
 * that is not a plain relative path, a link whose target is outside the tree, dangling or a directory,
 * and special files (sockets, FIFOs, devices). A link to a file inside the tree is stored as a regular
 * file with its target's content. Empty directories are kept as directory entries.
 */
export async function packageWorkingDir(dir: string, opts: PackageOptions = {}): Promise<PackagedDir> {
  const maxBytes = opts.maxBytes ?? MAX_WORKING_DIR_BYTES;
  if (!(maxBytes > 0 && maxBytes < 2 ** 31)) throw new RangeError("maxBytes: from 1 byte to under 2 GiB");
  const skip = new Set(opts.skip ?? SKIPPED_NAMES);
  let root: string;
  try {
    root = await fsp.realpath(dir);
    if (!(await fsp.stat(root)).isDirectory()) throw new JobSpecError(WD, `not a directory: ${dir}`);
  } catch (e) {
    if (e instanceof JobSpecError) throw e;
    throw new JobSpecError(WD, `no such directory: ${dir}`);
  }
  const entries: Entry[] = [];
  let files = 0;
  let bytes = 0;

  const addFile = async (name: string, abs: string, st: { size: number; mode: number }) => {
    // Checked before reading (a huge file is never read) and after (a file that grew meanwhile).
    const over = (n: number) => {
      if (n > maxBytes) throw new JobSpecError(WD, `${dir} holds at least ${n} bytes of files, over the ${maxBytes}-byte (${formatBytes(maxBytes)}) limit`);
    };
    over(bytes + st.size);
    // Opened without following a link and without blocking, then checked again: a file swapped for a
    // link or a FIFO since it was looked at is refused rather than followed or waited on.
    const fh = await fsp.open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const now = await fh.stat();
      if (!now.isFile()) throw new JobSpecError(WD, `${name}: a ${specialKind(now.mode)}, not a regular file`);
      const data = await fh.readFile();
      bytes += data.length;
      over(bytes);
      files++;
      entries.push({ name, data, executable: (now.mode & 0o100) !== 0 });
    } finally {
      await fh.close();
    }
  };

  const walk = async (absDir: string, relDir: string): Promise<void> => {
    for (const d of await fsp.readdir(absDir)) {
      if (skip.has(d)) continue;
      const rel = checkedName(relDir ? `${relDir}/${d}` : d);
      const abs = path.join(absDir, d);
      const st = await fsp.lstat(abs);
      if (entries.length >= MAX_ENTRIES) throw new JobSpecError(WD, `more than ${MAX_ENTRIES} entries`);
      if (st.isDirectory()) {
        entries.push({ name: `${rel}/`, data: null, executable: false });
        await walk(abs, rel);
      } else if (st.isFile()) {
        await addFile(rel, abs, st);
      } else if (st.isSymbolicLink()) {
        const target = await linkTarget(root, abs, rel);
        await addFile(rel, target.path, target);
      } else {
        throw new JobSpecError(WD, `${rel}: a ${specialKind(st.mode)}, not a regular file`);
      }
    }
  };
  try {
    await walk(root, "");
  } catch (e) {
    if (e instanceof JobSpecError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new JobSpecError(WD, `cannot read ${err.path ?? dir}: ${err.code ?? err.message}`);
  }
  if (files === 0) throw new JobSpecError(WD, `no files to package in ${dir}`);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const zip = writeZip(entries);
  return { uri: packageUri(zip), zip, files, bytes };
}

/** The package URI of a zip: `gcs://_ray_pkg_<first 16 bytes of its sha256, hex>.zip`. */
export function packageUri(zip: Uint8Array): string {
  return `gcs://_ray_pkg_${bytesToHex(sha256(zip).slice(0, 16))}.zip`;
}

/**
 * A renter's spec made ready to hash and send: parsed (JobSpecError on any refusal), its working_dir (relative
 * to `baseDir`, default the current directory) packaged and replaced by the package URI.
 */
export async function resolveJobSpec(
  input: JobSpecInput | unknown,
  opts: PackageOptions & { baseDir?: string } = {},
): Promise<{ spec: ResolvedJobSpec; hash: Uint8Array; pkg: PackagedDir | null }> {
  const spec = parseJobSpec(input);
  const dir = spec.runtime_env.working_dir;
  const pkg = dir === undefined ? null : await packageWorkingDir(path.resolve(opts.baseDir ?? ".", dir), opts);
  const resolved: ResolvedJobSpec = { ...spec, runtime_env: { ...spec.runtime_env, working_dir: pkg?.uri } };
  if (pkg === null) delete resolved.runtime_env.working_dir;
  return { spec: resolved, hash: jobSpecHash(resolved), pkg };
}

// A plain relative POSIX path: not absolute, no "." or ".." segment, no backslash or control character.
function checkedName(rel: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\\\u0000-\u001f\u007f]/.test(rel)) throw new JobSpecError(WD, `${JSON.stringify(rel)}: a name with a backslash or control character`);
  const norm = path.posix.normalize(rel);
  if (path.posix.isAbsolute(norm) || norm !== rel || norm.split("/").some((s) => s === ".." || s === "."))
    throw new JobSpecError(WD, `${rel}: not a plain relative path`);
  return rel;
}

// Where a link leads, if that is a regular file inside the tree.
async function linkTarget(root: string, abs: string, rel: string): Promise<{ path: string; size: number; mode: number }> {
  let real: string;
  try {
    real = await fsp.realpath(abs);
  } catch {
    throw new JobSpecError(WD, `${rel}: a link to nothing (${await fsp.readlink(abs)})`);
  }
  const inside = path.relative(root, real);
  if (inside === ".." || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside))
    throw new JobSpecError(WD, `${rel}: a link out of the tree (to ${await fsp.readlink(abs)})`);
  const st = await fsp.stat(real);
  if (st.isDirectory()) throw new JobSpecError(WD, `${rel}: a link to a directory (only links to files are packaged)`);
  if (!st.isFile()) throw new JobSpecError(WD, `${rel}: a link to a ${specialKind(st.mode)}`);
  return { path: real, size: st.size, mode: st.mode };
}

function specialKind(mode: number): string {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFDIR:
      return "directory";
    case constants.S_IFIFO:
      return "FIFO";
    case constants.S_IFSOCK:
      return "socket";
    case constants.S_IFCHR:
      return "character device";
    case constants.S_IFBLK:
      return "block device";
    default:
      return "special file";
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(2)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(2)} KiB` : `${n} bytes`;
}

// --- A minimal zip writer (PKWARE APPNOTE 4.3; no Zip64, so under 65,535 entries and 4 GiB) ---

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01, the earliest a zip can say
const UTF8_NAMES = 0x0800; // general purpose flag bit 11
const MADE_BY_UNIX = (3 << 8) | 20; // host 3 (Unix), spec 2.0
const NEEDED = 20;
const STORE = 0;
const DEFLATE = 8;

function writeZip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const data = e.data ?? Buffer.alloc(0);
    const deflated = data.length > 0 ? deflateRawSync(data, { level: 9 }) : data;
    const method = deflated.length < data.length ? DEFLATE : STORE;
    const body = method === DEFLATE ? deflated : data;
    const crc = crc32(data);
    const mode = e.data === null ? 0o040755 : e.executable ? 0o100755 : 0o100644;
    const external = ((mode << 16) | (e.data === null ? 0x10 : 0)) >>> 0; // Unix mode high, MS-DOS directory bit low

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(NEEDED, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(MADE_BY_UNIX, 4);
    local.copy(cd, 6, 4, 28); // needed, flags, method, time, date, crc, sizes, name length
    // extra length, comment length, disk number, internal attributes: 0
    cd.writeUInt32LE(external, 38);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);

    parts.push(local, name, body);
    offset += local.length + name.length + body.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  if (offset + cdSize > 0xffffffff) throw new JobSpecError(WD, "the package would be over 4 GiB");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
