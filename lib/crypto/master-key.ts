// The master key wraps every mailbox data key (DEK). Each wrapped DEK records the
// id of the master key that wrapped it, so a rotation can run while both unwrap.
import "server-only";
import { createHash } from "node:crypto";
import { getEnv } from "@/lib/env";
import { open, seal } from "@/lib/crypto/aead";

export type MasterKey = { id: string; key: Buffer };

export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update("sairaph-master-key-id").update(key).digest("hex").slice(0, 16);
}

function toMasterKey(base64: string): MasterKey {
  const key = Buffer.from(base64, "base64");
  return { id: masterKeyId(key), key };
}

export function currentMasterKey(): MasterKey {
  return toMasterKey(getEnv().SAIRAPH_MASTER_KEY);
}

/** Every master key that may unwrap: the current one and, during a rotation, the previous. */
export function masterKeys(): MasterKey[] {
  const env = getEnv();
  const keys = [toMasterKey(env.SAIRAPH_MASTER_KEY)];
  if (env.SAIRAPH_MASTER_KEY_PREVIOUS) keys.push(toMasterKey(env.SAIRAPH_MASTER_KEY_PREVIOUS));
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
