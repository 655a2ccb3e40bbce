// `npm run cli -- master-key rotate` (SPEC §6): re-wraps every DEK (mailbox data keys
// and tenant data keys) under a new master key without touching a single message.
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
import { tenantKeyContext } from "@/lib/tenants/tenant-data-key";

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
  return { rewrapped: rewrapped + (await rewrapTenantDataKeys(target, keys)) };
}

/** The tenants' data keys (tenant-wide lists), re-wrapped the same way. */
async function rewrapTenantDataKeys(target: MasterKey, keys: MasterKey[]): Promise<number> {
  const db = getDb();
  let rewrapped = 0;
  for (;;) {
    const batch = await db.tenantDataKey.findMany({ where: { masterKeyId: { not: target.id } }, orderBy: { id: "asc" }, take: 500 });
    if (batch.length === 0) break;
    for (const row of batch) {
      const context = tenantKeyContext(row.tenantId);
      const { wrappedKey, masterKeyId } = wrapDek(unwrapDek(row, context, keys), context, target);
      const { count } = await db.tenantDataKey.updateMany({
        where: { id: row.id, tenantId: row.tenantId, masterKeyId: row.masterKeyId },
        data: { wrappedKey: new Uint8Array(wrappedKey), masterKeyId },
      });
      rewrapped += count;
    }
  }
  return rewrapped;
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

/** Test seam: runs after the last re-wrap batch, before the switch (where a running app may still create a data key). */
export type RotationHooks = { beforeSwitch?: () => Promise<void> };

/** The master key ids data keys are wrapped by, other than those given, with how many each. */
export async function dataKeysWrappedByOthers(keyIds: string[]): Promise<{ masterKeyId: string; count: number }[]> {
  const where = { masterKeyId: { notIn: keyIds } };
  const [mailboxKeys, tenantKeys] = await Promise.all([
    getDb().mailboxDataKey.groupBy({ by: ["masterKeyId"], where, _count: { _all: true } }),
    getDb().tenantDataKey.groupBy({ by: ["masterKeyId"], where, _count: { _all: true } }),
  ]);
  const counts = new Map<string, number>();
  for (const r of [...mailboxKeys, ...tenantKeys]) counts.set(r.masterKeyId, (counts.get(r.masterKeyId) ?? 0) + r._count._all);
  return [...counts].map(([masterKeyId, count]) => ({ masterKeyId, count }));
}

/** What to tell the operator when data keys are wrapped by keys this deployment does not hold. */
export function unreadableDataKeysMessage(left: { masterKeyId: string; count: number }[]): string {
  const total = left.reduce((n, r) => n + r.count, 0);
  return `${total} data key(s) are wrapped by master key ${left.map((r) => r.masterKeyId).join(", ")}, which this deployment does not have: set SAIRAPH_MASTER_KEY_PREVIOUS to that key (keep SAIRAPH_MASTER_KEY as it is) and run \`npm run cli -- master-key rotate\``;
}

/**
 * After the switch, a data key created meanwhile by an app still on the old key
 * (after the last batch, or by an instance that had not seen the new key yet) is
 * re-wrapped too; success is reported only when every data key is wrapped by the
 * target key.
 */
async function recheckAfterSwitch(target: MasterKey, keys: MasterKey[]): Promise<number> {
  const { rewrapped } = await rewrapAllDataKeys(target, keys);
  const left = await dataKeysWrappedByOthers([target.id]);
  if (left.length > 0) {
    const total = left.reduce((n, r) => n + r.count, 0);
    throw new Error(`${total} data key(s) are still wrapped by master key ${left.map((r) => r.masterKeyId).join(", ")}; run \`npm run cli -- master-key rotate\` again`);
  }
  return rewrapped;
}

export async function rotateMasterKey(hooks: RotationHooks = {}): Promise<RotationResult> {
  const source = masterKeySource();
  if (source.kind === "env") {
    const target = currentMasterKey();
    const keys = masterKeys();
    const { rewrapped } = await rewrapAllDataKeys(target, keys);
    await hooks.beforeSwitch?.();
    return { rewrapped: rewrapped + (await recheckAfterSwitch(target, keys)), masterKeyId: target.id, source: "env" };
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
  await hooks.beforeSwitch?.();
  // New DEKs are wrapped by the next key (master.key.next takes precedence): the new
  // key replaces the old one atomically. The old key stays in this process's memory
  // for the re-check, which catches a DEK an app still on the old key made meanwhile.
  renameSync(nextFile, keyFile);
  fsyncDir(source.dir);
  return { rewrapped: rewrapped + (await recheckAfterSwitch(next, keys)), masterKeyId: next.id, source: "file", keyFile };
}
