// Issuance and revocation: reachable only from the dashboard (a signed-in owner or
// admin) and the operator CLI. No REST route or MCP tool imports this file.
import "server-only";
import { recordEvent } from "@/lib/events/record-event";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { displayParts, generateKeySecret, hashKeySecret } from "@/lib/keys/key-format";
import type { KeyRole } from "@/lib/generated/prisma/enums";

export const KEY_ROLES = ["read", "read_write", "management"] as const;
export const EXPIRY_PRESETS_DAYS = [1, 7, 30, 90] as const;
export const DEFAULT_REQUESTS_PER_MINUTE = 600;
export const MAX_REQUESTS_PER_MINUTE = 100_000;

export type IssueKeyInput = {
  tenantId: string;
  actor: Actor;
  name?: string | null;
  expiresAt?: Date | null;
  requestsPerMinute?: number;
} & ({ kind: "mailbox"; mailboxId: string; role: KeyRole } | { kind: "tenant" });

export async function issueKey(input: IssueKeyInput) {
  const rpm = input.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  if (!Number.isInteger(rpm) || rpm < 1 || rpm > MAX_REQUESTS_PER_MINUTE) {
    throw new ApiError("validation_error", `Requests per minute must be a whole number from 1 to ${MAX_REQUESTS_PER_MINUTE}`);
  }
  if (input.expiresAt && Number.isNaN(input.expiresAt.getTime())) {
    throw new ApiError("validation_error", "The expiry is not a valid date");
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new ApiError("validation_error", "The expiry must be in the future");
  }
  const db = getDb();
  if (input.kind === "mailbox") {
    const mailbox = await db.mailbox.findFirst({
      where: { id: input.mailboxId, tenantId: input.tenantId, status: { not: "deleted" } },
      select: { id: true },
    });
    if (!mailbox) throw new ApiError("not_found", "Mailbox not found");
  }
  const secret = generateKeySecret(input.kind);
  const { prefix, last4 } = displayParts(secret);
  const id = uuidv7();
  const role = input.kind === "mailbox" ? input.role : "management";
  const key = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id,
        tenantId: input.tenantId,
        mailboxId: input.kind === "mailbox" ? input.mailboxId : null,
        kind: input.kind,
        role,
        name: input.name?.trim() || null,
        hash: hashKeySecret(secret),
        prefix,
        last4,
        requestsPerMinute: rpm,
        expiresAt: input.expiresAt ?? null,
        createdByUserId: input.actor.type === "user" ? input.actor.id : null,
        createdByLabel: input.actor.label ?? input.actor.type,
      },
    });
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "key.issued",
      targetType: "api_key",
      targetId: id,
      metadata: {
        kind: input.kind,
        role,
        mailboxId: input.kind === "mailbox" ? input.mailboxId : null,
        prefix,
        last4,
        expiresAt: input.expiresAt?.toISOString() ?? null,
      },
    });
    return created;
  });
  // The secret leaves this function once, to be shown once; only its hash is stored.
  return { key, secret };
}

export async function revokeKey(input: { keyId: string; tenantId?: string; actor: Actor }) {
  const db = getDb();
  const key = await db.apiKey.findFirst({
    where: { id: input.keyId, ...(input.tenantId ? { tenantId: input.tenantId } : {}) },
  });
  if (!key) throw new ApiError("not_found", "Key not found");
  if (key.revokedAt) return key;
  return db.$transaction(async (tx) => {
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      tenantId: key.tenantId,
      actor: input.actor,
      action: "key.revoked",
      targetType: "api_key",
      targetId: key.id,
      metadata: { kind: key.kind, role: key.role, prefix: key.prefix, last4: key.last4, mailboxId: key.mailboxId },
    });
    await recordEvent(tx, {
      tenantId: key.tenantId,
      mailboxId: key.mailboxId,
      type: "key.revoked",
      data: { keyId: key.id, kind: key.kind, role: key.role, prefix: key.prefix, last4: key.last4, reason: "revoked" },
    });
    return revoked;
  });
}
