// The master key wraps every mailbox data key (DEK). Each wrapped DEK records the
// id of the master key that wrapped it, so a rotation can run while both unwrap.
//
// Two sources (SPEC §6): SAIRAPH_MASTER_KEY (+ SAIRAPH_MASTER_KEY_PREVIOUS during a
// rotation), or the generated development key file in the data folder. The file is
// read on each use, not cached, so a running server follows a `master-key rotate`
// made by the CLI: while master.key.next exists (a rotation in progress) it wraps
// with the new key and unwraps with both.
import "server-only";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { open, seal } from "@/lib/crypto/aead";

export type MasterKey = { id: string; key: Buffer };

export const MASTER_KEY_FILE = "master.key";
export const NEXT_MASTER_KEY_FILE = "master.key.next";

export type MasterKeySource = { kind: "env"; current: string; previous?: string } | { kind: "file"; dir: string };

let sourceOverride: MasterKeySource | undefined;

/** Tests point the master key at a key file folder; undefined restores the environment's choice. */
export function overrideMasterKeySource(source: MasterKeySource | undefined): void {
  sourceOverride = source;
}

export function masterKeySource(): MasterKeySource {
  if (sourceOverride) return sourceOverride;
  const env = getEnv();
  if (env.masterKeyGenerated) return { kind: "file", dir: env.SAIRAPH_DATA_DIR };
  return { kind: "env", current: env.SAIRAPH_MASTER_KEY, previous: env.SAIRAPH_MASTER_KEY_PREVIOUS };
}

export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update("sairaph-master-key-id").update(key).digest("hex").slice(0, 16);
}

export function parseMasterKey(base64: string, origin: string): MasterKey {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, "base64");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32) {
    throw new Error(`The master key in ${origin} is not the base64 of 32 bytes`);
  }
  return { id: masterKeyId(key), key };
}

/** Reads a key file; null when it does not exist (a rename may race with us: treat as absent). */
export function readMasterKeyFile(file: string): MasterKey | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  return parseMasterKey(text, file);
}

function fileKeys(dir: string): { current: MasterKey; all: MasterKey[] } {
  const next = readMasterKeyFile(path.join(dir, NEXT_MASTER_KEY_FILE));
  const main = readMasterKeyFile(path.join(dir, MASTER_KEY_FILE));
  if (!main && !next) {
    throw new Error(`No master key: ${path.join(dir, MASTER_KEY_FILE)} is missing and SAIRAPH_MASTER_KEY is unset`);
  }
  const all = [next, main].filter((k): k is MasterKey => k !== null);
  return { current: all[0], all };
}

/** The key new DEKs are wrapped with. */
export function currentMasterKey(): MasterKey {
  const source = masterKeySource();
  if (source.kind === "file") return fileKeys(source.dir).current;
  return parseMasterKey(source.current, "SAIRAPH_MASTER_KEY");
}

/** Every master key that may unwrap: the current one and, during a rotation, the previous. */
export function masterKeys(): MasterKey[] {
  const source = masterKeySource();
  if (source.kind === "file") return fileKeys(source.dir).all;
  const keys = [parseMasterKey(source.current, "SAIRAPH_MASTER_KEY")];
  if (source.previous) keys.push(parseMasterKey(source.previous, "SAIRAPH_MASTER_KEY_PREVIOUS"));
  return keys;
}

export type DekContext = { tenantId: string; mailboxId: string; version: number };

const dekAad = (c: DekContext) => `sairaph:dek:v1:${c.tenantId}:${c.mailboxId}:${c.version}`;

export function wrapDek(dek: Buffer, context: DekContext, master: MasterKey = currentMasterKey()) {
  return { wrappedKey: seal(master.key, 0, dek, dekAad(context)), masterKeyId: master.id };
}

export function unwrapDek(
  wrapped: { wrappedKey: Uint8Array; masterKeyId: string },
  context: DekContext,
  keys: MasterKey[] = masterKeys(),
): Buffer {
  const master = keys.find((k) => k.id === wrapped.masterKeyId);
  if (!master) {
    throw new Error(
      `The data key of mailbox ${context.mailboxId} is wrapped by master key ${wrapped.masterKeyId}, which is not configured`,
    );
  }
  return open(master.key, Buffer.from(wrapped.wrappedKey), dekAad(context));
}
