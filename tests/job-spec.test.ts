// The renter's job spec (issue 14, first piece): the schema's acceptances and refusals, the canonical hash,
// and the working directory's deterministic zip (checked with Python's zipfile), with its refusals.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { bytesToHex } from "@noble/hashes/utils";
import { expect } from "chai";
import {
  canonicalJson,
  JobSpecError,
  jobSpecHash,
  packageUri,
  packageWorkingDir,
  parseJobSpec,
  parseResolvedJobSpec,
  resolveJobSpec,
} from "../client/src/index.ts";

function refusal(f: () => unknown): JobSpecError {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(JobSpecError);
    return e as JobSpecError;
  }
  throw new Error("expected a JobSpecError");
}

async function refusalAsync(f: () => Promise<unknown>): Promise<JobSpecError> {
  try {
    await f();
  } catch (e) {
    expect(e).to.be.instanceOf(JobSpecError);
    return e as JobSpecError;
  }
  throw new Error("expected a JobSpecError");
}

const URI = `gcs://_ray_pkg_${"ab".repeat(16)}.zip`;

describe("job spec: schema", () => {
  it("parses an entrypoint spec and applies the defaults", () => {
    expect(parseJobSpec({ entrypoint: "python train.py --epochs 3" })).to.deep.equal({
      entrypoint: "python train.py --epochs 3",
      runtime_env: { pip: [], env_vars: {} },
      max_retries: 0,
      metadata: {},
    });
  });

  it("parses a template with args, and a template alone gets an empty argument list", () => {
    const s = parseJobSpec({ template: "batch-inference", args: ["--rows", "1000"], max_retries: 2 });
    expect(s).to.include({ template: "batch-inference", max_retries: 2 });
    expect(s.args).to.deep.equal(["--rows", "1000"]);
    expect(parseJobSpec({ template: "tune" }).args).to.deep.equal([]);
  });

  it("parses a full runtime_env", () => {
    const s = parseJobSpec({
      entrypoint: "python main.py",
      runtime_env: {
        working_dir: "./project",
        pip: ["numpy==1.26.4", "torch>=2.1,<3", "ray[tune]==2.9.0", "requests; python_version >= '3.9'", "tqdm"],
        env_vars: { OMP_NUM_THREADS: "4", _PRIVATE: "" },
      },
      max_retries: 10,
      metadata: { team: "vision", "run/id": "42" },
    });
    expect(s.runtime_env.working_dir).to.equal("./project");
    expect(s.runtime_env.pip).to.have.length(5);
    expect(s.runtime_env.env_vars).to.deep.equal({ OMP_NUM_THREADS: "4", _PRIVATE: "" });
  });

  const refusals: [string, unknown, string, RegExp][] = [
    ["an unknown top-level field", { entrypoint: "x", gpus: 8 }, "gpus", /unknown field/],
    ["an unknown runtime_env field", { entrypoint: "x", runtime_env: { conda: "env.yml" } }, "runtime_env.conda", /unknown field/],
    ["both entrypoint and template", { entrypoint: "x", template: "tune" }, "entrypoint", /not both/],
    ["neither entrypoint nor template", { max_retries: 1 }, "entrypoint", /missing/],
    ["args without a template", { entrypoint: "x", args: ["a"] }, "args", /only with a template/],
    ["an empty entrypoint", { entrypoint: "   " }, "entrypoint", /empty/],
    ["an entrypoint over 4 KiB", { entrypoint: "x".repeat(4097) }, "entrypoint", /4096 bytes/],
    ["an entrypoint that is not a string", { entrypoint: 7 }, "entrypoint", /expected string/],
    ["a bad template name", { template: "Batch_Inference" }, "template", /template name/],
    [
      "a reserved HOURGLASS_ env var",
      { entrypoint: "x", runtime_env: { env_vars: { HOURGLASS_LEASE: "a" } } },
      "runtime_env.env_vars.HOURGLASS_LEASE",
      /reserved name/,
    ],
    ["a reserved RAY_ env var", { entrypoint: "x", runtime_env: { env_vars: { RAY_ADDRESS: "a" } } }, "runtime_env.env_vars.RAY_ADDRESS", /reserved name/],
    [
      "a bad env var name",
      { entrypoint: "x", runtime_env: { env_vars: { "lower-case": "a" } } },
      "runtime_env.env_vars.lower-case",
      /environment variable name/,
    ],
    [
      "an env var name starting with a digit",
      { entrypoint: "x", runtime_env: { env_vars: { "1X": "a" } } },
      "runtime_env.env_vars.1X",
      /environment variable name/,
    ],
    ["a non-string env var value", { entrypoint: "x", runtime_env: { env_vars: { A: 1 } } }, "runtime_env.env_vars.A", /expected string/],
    [
      "too many env vars",
      { entrypoint: "x", runtime_env: { env_vars: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`V${i}`, ""])) } },
      "runtime_env.env_vars",
      /more than 64/,
    ],
    ["too many pip entries", { entrypoint: "x", runtime_env: { pip: Array.from({ length: 65 }, (_, i) => `pkg${i}`) } }, "runtime_env.pip", /more than 64/],
    ["a pip option", { entrypoint: "x", runtime_env: { pip: ["numpy", "--index-url=http://evil"] } }, "runtime_env.pip.1", /plain requirement/],
    ["a pip URL", { entrypoint: "x", runtime_env: { pip: ["pkg @ https://example.com/pkg.whl"] } }, "runtime_env.pip.0", /plain requirement/],
    ["a pip entry with a newline", { entrypoint: "x", runtime_env: { pip: ["numpy\n-e ."] } }, "runtime_env.pip.0", /one line/],
    ["pip not an array", { entrypoint: "x", runtime_env: { pip: "numpy" } }, "runtime_env.pip", /expected array/],
    ["an empty working_dir", { entrypoint: "x", runtime_env: { working_dir: "" } }, "runtime_env.working_dir", /empty/],
    ["max_retries above 10", { entrypoint: "x", max_retries: 11 }, "max_retries", /0 to 10/],
    ["max_retries below 0", { entrypoint: "x", max_retries: -1 }, "max_retries", /0 to 10/],
    ["a fractional max_retries", { entrypoint: "x", max_retries: 1.5 }, "max_retries", /0 to 10/],
    ["max_retries as a string", { entrypoint: "x", max_retries: "3" }, "max_retries", /expected number/],
    [
      "too many metadata entries",
      { entrypoint: "x", metadata: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"])) },
      "metadata",
      /more than 32/,
    ],
    ["a metadata value too long", { entrypoint: "x", metadata: { k: "v".repeat(257) } }, "metadata.k", /256 characters/],
    ["a metadata key too long", { entrypoint: "x", metadata: { ["k".repeat(65)]: "v" } }, `metadata.${"k".repeat(65)}`, /64 characters/],
    ["a __proto__ metadata key", JSON.parse('{"entrypoint":"x","metadata":{"__proto__":"v"}}'), "metadata.__proto__", /not a valid key/],
    ["a __proto__ env var", JSON.parse('{"entrypoint":"x","runtime_env":{"env_vars":{"__proto__":"v"}}}'), "runtime_env.env_vars.__proto__", /not a valid key/],
    ["an array", [{ entrypoint: "x" }], "", /expected a JSON object/],
    ["null", null, "", /expected a JSON object/],
    ["a string", '{"entrypoint":"x"}', "", /expected a JSON object/],
  ];
  for (const [what, json, field, message] of refusals) {
    it(`refuses ${what}, naming ${field || "the document"}`, () => {
      const e = refusal(() => parseJobSpec(json));
      expect(e.path).to.equal(field);
      expect(e.message).to.match(message);
      expect(e.message.startsWith(`${field || "job spec"}: `)).to.equal(true, e.message);
    });
  }

  it("says the reserved-name refusal the way the issue writes it", () => {
    const e = refusal(() => parseJobSpec({ entrypoint: "x", runtime_env: { env_vars: { HOURGLASS_LEASE: "a" } } }));
    expect(e.message).to.equal("runtime_env.env_vars.HOURGLASS_LEASE: reserved name");
  });

  it("stored specs carry a package URI, never a local path", () => {
    expect(parseResolvedJobSpec({ entrypoint: "x", runtime_env: { working_dir: URI } }).runtime_env.working_dir).to.equal(URI);
    const e = refusal(() => parseResolvedJobSpec({ entrypoint: "x", runtime_env: { working_dir: "./project" } }));
    expect(e.path).to.equal("runtime_env.working_dir");
    expect(e.message).to.match(/package URI/);
  });
});

describe("job spec: hash", () => {
  const base = {
    entrypoint: "python main.py",
    runtime_env: { working_dir: URI, pip: ["numpy==1.26.4"], env_vars: { A: "1", B: "2" } },
    max_retries: 1,
    metadata: { team: "vision" },
  };

  it("is 32 bytes over the canonical encoding: sorted keys, no whitespace, defaults applied", () => {
    const h = jobSpecHash(base);
    expect(h).to.be.instanceOf(Uint8Array);
    expect(h.length).to.equal(32);
    expect(canonicalJson({ b: [1, { d: 1, c: "x" }], a: null })).to.equal('{"a":null,"b":[1,{"c":"x","d":1}]}');
    const expected = execFileSync("python3", [
      "-c",
      "import hashlib,json,sys; print(hashlib.sha256(json.dumps(json.loads(sys.argv[1]),sort_keys=True,separators=(',',':')).encode()).hexdigest())",
      JSON.stringify({ ...base }),
    ])
      .toString()
      .trim();
    expect(bytesToHex(h)).to.equal(expected);
  });

  it("is stable under key order, whitespace and spelled-out defaults", () => {
    const reordered = JSON.parse(
      `{ "metadata" : {"team":"vision"},\n  "max_retries": 1, "runtime_env": { "env_vars": {"B":"2","A":"1"}, "pip": ["numpy==1.26.4"], "working_dir": "${URI}" },\n "entrypoint":"python main.py" }`,
    );
    expect(bytesToHex(jobSpecHash(reordered))).to.equal(bytesToHex(jobSpecHash(base)));
    const bare = jobSpecHash({ entrypoint: "x" });
    expect(bytesToHex(jobSpecHash({ entrypoint: "x", max_retries: 0, metadata: {}, runtime_env: { pip: [], env_vars: {} } }))).to.equal(bytesToHex(bare));
    expect(bytesToHex(jobSpecHash({ entrypoint: "x", runtime_env: {} }))).to.equal(bytesToHex(bare));
    expect(bytesToHex(jobSpecHash({ template: "tune" }))).to.equal(bytesToHex(jobSpecHash({ template: "tune", args: [] })));
  });

  it("changes with any field", () => {
    const variants: unknown[] = [
      { ...base, entrypoint: "python main.py " },
      { ...base, max_retries: 2 },
      { ...base, metadata: { team: "vision2" } },
      { ...base, metadata: {} },
      { ...base, runtime_env: { ...base.runtime_env, working_dir: `gcs://_ray_pkg_${"ab".repeat(15)}ac.zip` } },
      { ...base, runtime_env: { ...base.runtime_env, pip: ["numpy==1.26.5"] } },
      { ...base, runtime_env: { ...base.runtime_env, env_vars: { A: "1", B: "3" } } },
      { ...base, runtime_env: { pip: base.runtime_env.pip, env_vars: base.runtime_env.env_vars } },
      { template: "tune", args: ["a"] },
      { template: "tune", args: ["b"] },
    ];
    const hashes = new Set([base, ...variants].map((s) => bytesToHex(jobSpecHash(s))));
    expect(hashes.size).to.equal(variants.length + 1);
  });

  it("refuses a spec whose working_dir is still a local path", () => {
    expect(refusal(() => jobSpecHash({ entrypoint: "x", runtime_env: { working_dir: "." } })).path).to.equal("runtime_env.working_dir");
  });
});

describe("job spec: working directory package", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hourglass-jobspec-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function tree(root: string) {
    fs.mkdirSync(path.join(root, "pkg", "sub"), { recursive: true });
    fs.mkdirSync(path.join(root, "empty"));
    fs.mkdirSync(path.join(root, ".git"));
    fs.mkdirSync(path.join(root, "pkg", "__pycache__"));
    fs.writeFileSync(path.join(root, "main.py"), "print('hello')\n");
    fs.writeFileSync(path.join(root, "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    fs.writeFileSync(path.join(root, "pkg", "__init__.py"), "");
    fs.writeFileSync(path.join(root, "pkg", "sub", "data.bin"), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)));
    fs.writeFileSync(path.join(root, "pkg", "ünïcode.txt"), "ü\n");
    fs.writeFileSync(path.join(root, ".git", "HEAD"), "ref: refs/heads/main\n");
    fs.writeFileSync(path.join(root, "pkg", "__pycache__", "x.cpython-311.pyc"), "junk");
    fs.symlinkSync("main.py", path.join(root, "alias.py"));
    // Skipped by name: a local environment (its links lead out of the tree) and node_modules.
    fs.mkdirSync(path.join(root, ".venv", "bin"), { recursive: true });
    fs.symlinkSync(process.execPath, path.join(root, ".venv", "bin", "python"));
    fs.mkdirSync(path.join(root, "pkg", "node_modules"));
    fs.writeFileSync(path.join(root, "pkg", "node_modules", "x.js"), "x");
  }

  // What Python's zipfile reads back: each entry's name, mode and content (base64).
  function pyRead(zipPath: string): Record<string, { mode: string; data: string }> {
    const script =
      "import base64,json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\n" +
      "print(json.dumps({i.filename: {'mode': oct(i.external_attr >> 16), 'data': base64.b64encode(z.read(i)).decode()} for i in z.infolist()}))";
    return JSON.parse(execFileSync("python3", ["-c", script, zipPath]).toString());
  }

  it("packages a tree into a valid zip holding exactly its files, links inside as their content", async () => {
    const root = path.join(tmp, "project");
    tree(root);
    const p = await packageWorkingDir(root);
    expect(p.uri).to.match(/^gcs:\/\/_ray_pkg_[0-9a-f]{32}\.zip$/);
    expect(p.uri).to.equal(packageUri(p.zip));
    expect(p.files).to.equal(6);
    expect(p.bytes).to.equal(15 + 18 + 0 + 5000 + 3 + 15);
    const zipPath = path.join(tmp, "p.zip");
    fs.writeFileSync(zipPath, p.zip);
    expect(execFileSync("python3", ["-m", "zipfile", "-t", zipPath]).toString()).to.match(/Done testing/);
    execFileSync("unzip", ["-tq", zipPath]);
    const read = pyRead(zipPath);
    expect(Object.keys(read)).to.deep.equal([
      "alias.py",
      "empty/",
      "main.py",
      "pkg/",
      "pkg/__init__.py",
      "pkg/sub/",
      "pkg/sub/data.bin",
      "pkg/ünïcode.txt",
      "run.sh",
    ]);
    for (const f of ["main.py", "run.sh", "pkg/__init__.py", "pkg/sub/data.bin", "pkg/ünïcode.txt"])
      expect(Buffer.from(read[f].data, "base64").equals(fs.readFileSync(path.join(root, f))), f).to.equal(true);
    expect(Buffer.from(read["alias.py"].data, "base64").toString()).to.equal("print('hello')\n");
    expect(read["run.sh"].mode).to.equal("0o100755");
    expect(read["main.py"].mode).to.equal("0o100644");
    expect(read["pkg/"].mode).to.equal("0o40755");
  });

  it("is deterministic: the same tree gives the same bytes and URI, whatever the mtimes or where it lies", async () => {
    const a = path.join(tmp, "a");
    const b = path.join(tmp, "b");
    tree(a);
    const first = await packageWorkingDir(a);
    const again = await packageWorkingDir(a);
    expect(again.zip.equals(first.zip)).to.equal(true);
    const past = new Date("2001-02-03T04:05:06Z");
    for (const f of ["main.py", "pkg/sub/data.bin", "pkg", "."]) fs.utimesSync(path.join(a, f), past, past);
    const touched = await packageWorkingDir(a);
    expect(touched.zip.equals(first.zip)).to.equal(true);
    expect(touched.uri).to.equal(first.uri);
    tree(b); // same content, other inodes, other creation order of nothing in particular
    expect((await packageWorkingDir(b)).uri).to.equal(first.uri);
  });

  it("changes the URI, and so the spec hash, with one byte of one file", async () => {
    const root = path.join(tmp, "project");
    tree(root);
    const spec = { entrypoint: "python main.py", runtime_env: { working_dir: "project" } };
    const one = await resolveJobSpec(spec, { baseDir: tmp });
    expect(one.spec.runtime_env.working_dir).to.equal(one.pkg?.uri);
    expect(bytesToHex(one.hash)).to.equal(bytesToHex(jobSpecHash(one.spec)));
    const data = fs.readFileSync(path.join(root, "pkg", "sub", "data.bin"));
    data[4321] ^= 1;
    fs.writeFileSync(path.join(root, "pkg", "sub", "data.bin"), data);
    const two = await resolveJobSpec(spec, { baseDir: tmp });
    expect(two.pkg?.uri).to.not.equal(one.pkg?.uri);
    expect(bytesToHex(two.hash)).to.not.equal(bytesToHex(one.hash));
    const none = await resolveJobSpec({ entrypoint: "x" });
    expect(none.pkg).to.equal(null);
    expect(none.spec.runtime_env).to.deep.equal({ pip: [], env_vars: {} });
  });

  it("packages what the skip option leaves in", async () => {
    const root = path.join(tmp, "project");
    tree(root);
    fs.rmSync(path.join(root, ".venv"), { recursive: true });
    const zipPath = path.join(tmp, "p.zip");
    fs.writeFileSync(zipPath, (await packageWorkingDir(root, { skip: ["__pycache__"] })).zip);
    const names = Object.keys(pyRead(zipPath));
    expect(names).to.include.members([".git/", ".git/HEAD", "pkg/node_modules/x.js"]);
    expect(names.some((n) => n.includes("__pycache__"))).to.equal(false);
  });

  it("refuses a tree over maxBytes, saying the limit", async () => {
    const root = path.join(tmp, "big");
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, "a.bin"), Buffer.alloc(600));
    fs.writeFileSync(path.join(root, "b.bin"), Buffer.alloc(600));
    expect((await packageWorkingDir(root, { maxBytes: 1200 })).bytes).to.equal(1200);
    const e = await refusalAsync(() => packageWorkingDir(root, { maxBytes: 1000 }));
    expect(e.path).to.equal("runtime_env.working_dir");
    expect(e.message).to.match(/at least 1200 bytes of files, over the 1000-byte \(1000 bytes\) limit/);
  });

  it("refuses a link out of the tree, a dangling link and a link to a directory", async () => {
    const root = path.join(tmp, "project");
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, "main.py"), "x");
    fs.writeFileSync(path.join(tmp, "secret"), "s");
    fs.symlinkSync(path.join(tmp, "secret"), path.join(root, "leak"));
    expect((await refusalAsync(() => packageWorkingDir(root))).message).to.match(/leak: a link out of the tree/);
    fs.rmSync(path.join(root, "leak"));
    fs.symlinkSync("../secret", path.join(root, "leak2"));
    expect((await refusalAsync(() => packageWorkingDir(root))).message).to.match(/leak2: a link out of the tree/);
    fs.rmSync(path.join(root, "leak2"));
    fs.symlinkSync("nowhere", path.join(root, "dangling"));
    expect((await refusalAsync(() => packageWorkingDir(root))).message).to.match(/dangling: a link to nothing/);
    fs.rmSync(path.join(root, "dangling"));
    fs.symlinkSync(".", path.join(root, "loop"));
    expect((await refusalAsync(() => packageWorkingDir(root))).message).to.match(/loop: a link to a directory/);
  });

  it("refuses a FIFO", async () => {
    const root = path.join(tmp, "project");
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, "main.py"), "x");
    execFileSync("mkfifo", [path.join(root, "pipe")]);
    const e = await refusalAsync(() => packageWorkingDir(root));
    expect(e.path).to.equal("runtime_env.working_dir");
    expect(e.message).to.match(/pipe: a FIFO/);
  });

  it("refuses a missing directory, a file, and a directory with nothing to package", async () => {
    expect((await refusalAsync(() => packageWorkingDir(path.join(tmp, "absent")))).message).to.match(/no such directory/);
    fs.writeFileSync(path.join(tmp, "file"), "x");
    expect((await refusalAsync(() => packageWorkingDir(path.join(tmp, "file")))).message).to.match(/not a directory/);
    const root = path.join(tmp, "empty");
    fs.mkdirSync(path.join(root, "sub", ".git"), { recursive: true });
    fs.writeFileSync(path.join(root, "sub", ".git", "HEAD"), "x");
    expect((await refusalAsync(() => packageWorkingDir(root))).message).to.match(/no files to package/);
    const e = await refusalAsync(() => resolveJobSpec({ entrypoint: "x", runtime_env: { working_dir: "absent" } }, { baseDir: tmp }));
    expect(e.path).to.equal("runtime_env.working_dir");
  });
});
