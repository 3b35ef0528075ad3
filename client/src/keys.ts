// Solana keypair files (the CLI's JSON array of 64 bytes), read for wallets, device keys and services.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Keypair } from "@solana/web3.js";

/** A keypair file that is missing, not JSON or not 64 bytes; the message names the file. */
export class KeypairFileError extends Error {
  override name = "KeypairFileError";
}

export function readKeypair(file: string): Keypair {
  const resolved = file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
  let text: string;
  try {
    text = fs.readFileSync(resolved, "utf8");
  } catch {
    throw new KeypairFileError(`cannot read keypair file ${resolved}`);
  }
  let bytes: unknown;
  try {
    bytes = JSON.parse(text);
  } catch {
    throw new KeypairFileError(`keypair file ${resolved} is not JSON (expected an array of 64 numbers)`);
  }
  if (!Array.isArray(bytes) || bytes.length !== 64 || !bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw new KeypairFileError(`keypair file ${resolved} must hold an array of 64 bytes`);
  }
  return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
}
