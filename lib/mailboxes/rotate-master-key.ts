// `npm run cli -- master-key rotate` (SPEC §6): re-wraps every DEK under a new master
// key without touching a single message.
//
// With SAIRAPH_MASTER_KEY: the operator has put the new key there and the old one in
// SAIRAPH_MASTER_KEY_PREVIOUS; every DEK still wrapped by another key is re-wrapped.
//
// With the generated development key: a new key is written to master.key.next
// (mode 0600, fsynced) BEFORE anything is re-wrapped under it, so a crash at any
// point loses no key; a rerun resumes with the same next key. Once no DEK is wrapped
// by another key, master.key.next is renamed over master.key (atomic).
import "server-only";
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import { getDb } from "@/lib/db";
import {
  MASTER_KEY_FILE,
  NEXT_MASTER_KEY_FILE,
  currentMasterKey,
  masterKeySource,
  masterKeys,
  readMasterKeyFile,
  unwrapDek,
  wrapDek,
  type MasterKey,
} from "@/lib/crypto/master-key";

/** Re-wraps every DEK not wrapped by `target`, unwrapping with `keys`. Safe to run concurrently with the app. */
export async function rewrapAllDataKeys(target: MasterKey = currentMasterKey(), keys: MasterKey[] = masterKeys()): Promise<{ rewrapped: number }> {
  const db = getDb();
  let rewrapped = 0;
  for (;;) {
    const batch = await db.mailboxDataKey.findMany({ where: { masterKeyId: { not: target.id } }, orderBy: { id: "asc" }, take: 500 });
    if (batch.length === 0) break;
    for (const row of batch) {
      const context = { tenantId: row.tenantId, mailboxId: row.mailboxId, version: row.version };
      const dek = unwrapDek(row, context, keys);
      const { wrappedKey, masterKeyId } = wrapDek(dek, context, target);
      // Only if nobody re-wrapped or shredded it meanwhile.
      const { count } = await db.mailboxDataKey.updateMany({
        where: { id: row.id, tenantId: row.tenantId, masterKeyId: row.masterKeyId },
        data: { wrappedKey: new Uint8Array(wrappedKey), masterKeyId },
      });
      rewrapped += count;
    }
  }
  return { rewrapped };
}

function writeFileDurably(file: string, content: string): void {
  const fd = openSync(file, "wx", 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type RotationResult = { rewrapped: number; masterKeyId: string; source: "env" | "file"; keyFile?: string };

export async function rotateMasterKey(): Promise<RotationResult> {
  const source = masterKeySource();
  if (source.kind === "env") {
    const target = currentMasterKey();
    const { rewrapped } = await rewrapAllDataKeys(target, masterKeys());
    return { rewrapped, masterKeyId: target.id, source: "env" };
  }

  const keyFile = path.join(source.dir, MASTER_KEY_FILE);
  const nextFile = path.join(source.dir, NEXT_MASTER_KEY_FILE);
  const old = readMasterKeyFile(keyFile);
  let next = readMasterKeyFile(nextFile);
  if (!next) {
    // Written in full under a temporary name, then renamed: master.key.next is never half-written.
    const temp = `${nextFile}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileDurably(temp, `${randomBytes(32).toString("base64")}\n`);
    renameSync(temp, nextFile);
    fsyncDir(source.dir);
    next = readMasterKeyFile(nextFile)!;
  }
  const keys = [next, ...(old ? [old] : [])];
  const { rewrapped } = await rewrapAllDataKeys(next, keys);
  // Everything is wrapped by the new key now (and new DEKs are too, since
  // master.key.next takes precedence): the new key replaces the old one atomically.
  renameSync(nextFile, keyFile);
  fsyncDir(source.dir);
  return { rewrapped, masterKeyId: next.id, source: "file", keyFile };
}
