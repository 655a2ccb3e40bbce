"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { issueKey, revokeKey } from "@/lib/keys/issue-key";
import { createKeySchema, expiresAtFromChoice, type CreateKeyInput } from "@/lib/keys/key-form";

export type CreatedKey = { id: string; secret: string; prefix: string; last4: string };

// Issue a mailbox key or a management key. The secret is returned to this one
// response only, to be shown once; it is not stored, logged or put in a cookie.
export async function createKeyAction(raw: CreateKeyInput) {
  return runSessionAction({ role: "admin", action: "create API keys" }, async (session): Promise<CreatedKey> => {
    const input = createKeySchema.parse(raw);
    const expiresAt = expiresAtFromChoice(input.expiry, input.expiresOn || undefined);
    const common = {
      tenantId: session.tenant.id,
      actor: session.actor,
      name: input.name,
      expiresAt,
      requestsPerMinute: input.requestsPerMinute,
    };
    const { key, secret } =
      input.kind === "mailbox"
        ? await issueKey({ ...common, kind: "mailbox", mailboxId: input.mailboxId, role: input.role })
        : await issueKey({ ...common, kind: "tenant" });
    return { id: key.id, secret, prefix: key.prefix, last4: key.last4 };
  });
}

const revokeSchema = z.object({ keyId: z.string().min(1) });

// Revoke a key of the active tenant; another tenant's key is not found.
export async function revokeKeyAction(raw: { keyId: string }) {
  return runSessionAction({ role: "admin", action: "revoke API keys" }, async (session) => {
    const { keyId } = revokeSchema.parse(raw);
    const key = await revokeKey({ keyId, tenantId: session.tenant.id, actor: session.actor });
    return { id: key.id, revokedAt: key.revokedAt?.toISOString() ?? null };
  });
}
