import "server-only";
import { getDb } from "@/lib/db";

/** One mailbox of the tenant for its dashboard page (with its domain and the tenant's caps), or null: another tenant's id is simply not found. */
export async function getMailboxDetails(input: { tenantId: string; mailboxId: string }) {
  return getDb().mailbox.findFirst({
    where: { id: input.mailboxId, tenantId: input.tenantId, status: { not: "deleted" } },
    select: {
      id: true,
      address: true,
      displayName: true,
      clientRef: true,
      status: true,
      sendPerMinute: true,
      sendPerDay: true,
      sendPolicy: true,
      createdAt: true,
      domain: { select: { name: true, isDev: true } },
      tenant: { select: { maxSendPerMinute: true, maxSendPerDay: true } },
    },
  });
}
