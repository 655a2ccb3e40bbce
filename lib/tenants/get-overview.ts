import "server-only";
import { getDb } from "@/lib/db";

/** The overview page's counts for one tenant. */
export async function getOverview(input: { tenantId: string }) {
  const db = getDb();
  const { tenantId } = input;
  const now = new Date();
  const activeKey = { tenantId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  const [activeMailboxes, suspendedMailboxes, mailboxKeys, managementKeys, domains, members, messages] = await Promise.all([
    db.mailbox.count({ where: { tenantId, status: "active" } }),
    db.mailbox.count({ where: { tenantId, status: "suspended" } }),
    db.apiKey.count({ where: { ...activeKey, kind: "mailbox" } }),
    db.apiKey.count({ where: { ...activeKey, kind: "tenant" } }),
    db.domain.count({ where: { tenantId } }),
    db.membership.count({ where: { tenantId } }),
    db.message.count({ where: { tenantId } }),
  ]);
  return { activeMailboxes, suspendedMailboxes, mailboxKeys, managementKeys, domains, members, messages };
}
