// Factories for integration tests: real rows through the same lib functions the app uses.
import { randomBytes } from "node:crypto";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import type { Actor } from "@/lib/audit/record-event";
import type { KeyRole } from "@/lib/generated/prisma/enums";

export const TEST_ACTOR: Actor = { type: "system", label: "test" };

export function uniqueName(prefix = "t"): string {
  return `${prefix}${randomBytes(4).toString("hex")}`;
}

export async function createTestTenant(name = uniqueName("Tenant ")) {
  const { tenant, devDomain } = await createTenant({ name, actor: TEST_ACTOR });
  return { ...tenant, devDomain };
}

export async function createTestMailbox(tenantId: string, localPart = uniqueName("box"), extra: { clientRef?: string; displayName?: string } = {}) {
  return createMailbox({ tenantId, localPart, actor: TEST_ACTOR, ...extra });
}

export async function createTestKey(
  tenantId: string,
  options: { mailboxId: string; role: KeyRole; expiresAt?: Date; requestsPerMinute?: number } | { management: true; expiresAt?: Date; requestsPerMinute?: number },
) {
  if ("management" in options) {
    return issueKey({ kind: "tenant", tenantId, actor: TEST_ACTOR, expiresAt: options.expiresAt, requestsPerMinute: options.requestsPerMinute });
  }
  return issueKey({ kind: "mailbox", tenantId, actor: TEST_ACTOR, ...options });
}

/** A tenant with one mailbox and a key of each mailbox role plus a management key. */
export async function createTestWorld() {
  const tenant = await createTestTenant();
  const mailbox = await createTestMailbox(tenant.id);
  const read = await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read" });
  const readWrite = await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read_write" });
  const management = await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "management" });
  const tenantKey = await createTestKey(tenant.id, { management: true });
  return {
    tenant,
    mailbox,
    keys: { read: read.secret, read_write: readWrite.secret, management: management.secret, tenant: tenantKey.secret },
  };
}
