// The dashboard's Approvals page: every send of the tenant that waits for a person
// (status pending_approval, SPEC §13), oldest first (the longest wait at the top),
// with what an approver needs at a glance: mailbox, recipients, subject, age.
// Decrypted here with each mailbox's own key; nothing of the content is stored elsewhere.
import "server-only";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { openMessage } from "@/lib/messages/seal-message";

export const PENDING_APPROVALS_SHOWN = 100;

export type PendingApproval = {
  id: string;
  mailboxId: string;
  mailboxAddress: string;
  recipients: string[];
  subject: string;
  snippet: string;
  createdAt: Date;
  /** How long it has waited, at the time of listing. */
  waitingMs: number;
};

export async function listPendingApprovals(input: { tenantId: string }): Promise<{ items: PendingApproval[]; more: boolean }> {
  const rows = await getDb().message.findMany({
    where: { tenantId: input.tenantId, status: "pending_approval", direction: "outbound" },
    orderBy: { id: "asc" },
    take: PENDING_APPROVALS_SHOWN + 1,
    select: { id: true, mailboxId: true, metaCipher: true, createdAt: true },
  });
  const shown = rows.slice(0, PENDING_APPROVALS_SHOWN);
  const mailboxIds = [...new Set(shown.map((r) => r.mailboxId))];
  const mailboxes = await getDb().mailbox.findMany({ where: { tenantId: input.tenantId, id: { in: mailboxIds } }, select: { id: true, address: true } });
  const addressOf = new Map(mailboxes.map((m) => [m.id, m.address]));
  const items: PendingApproval[] = [];
  const now = Date.now();
  for (const row of shown) {
    const cipher = await getMailboxCipher(input.tenantId, row.mailboxId);
    const { meta } = openMessage(cipher, row, { full: false });
    items.push({
      id: row.id,
      mailboxId: row.mailboxId,
      mailboxAddress: addressOf.get(row.mailboxId) ?? "(deleted mailbox)",
      recipients: [...meta.to, ...meta.cc, ...meta.bcc].map((p) => p.address),
      subject: meta.subject,
      snippet: meta.snippet,
      createdAt: row.createdAt,
      waitingMs: Math.max(0, now - row.createdAt.getTime()),
    });
  }
  return { items, more: rows.length > shown.length };
}
