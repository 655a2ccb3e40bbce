// The dashboard's dev outbox: outbound mail of a tenant handled by the local
// provider (delivered to this deployment's mailboxes, or only recorded as sent).
import "server-only";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { decodeCursor, toPage } from "@/lib/http/pagination";
import type { Participant } from "@/lib/messages/message-content";
import { openMessage } from "@/lib/messages/seal-message";

export type DevOutboxItem = {
  id: string;
  mailboxId: string;
  threadId: string;
  from: Participant;
  to: Participant[];
  cc: Participant[];
  bcc: Participant[];
  subject: string;
  snippet: string;
  status: string;
  statusReason: string | null;
  sentAt: string | null;
  createdAt: string;
};

export async function listDevOutbox(input: { tenantId: string; mailboxId?: string; limit?: number; cursor?: string }) {
  const limit = input.limit ?? 25;
  const before = decodeCursor(input.cursor);
  const rows = await getDb().message.findMany({
    where: {
      tenantId: input.tenantId,
      ...(input.mailboxId ? { mailboxId: input.mailboxId } : {}),
      direction: "outbound",
      provider: "local",
      ...(before ? { id: { lt: before } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = toPage(rows, limit);
  const data: DevOutboxItem[] = [];
  for (const row of page.data) {
    const cipher = await getMailboxCipher(input.tenantId, row.mailboxId);
    const { meta } = openMessage(cipher, row, { full: false });
    data.push({
      id: row.id,
      mailboxId: row.mailboxId,
      threadId: row.threadId,
      from: meta.from,
      to: meta.to,
      cc: meta.cc,
      bcc: meta.bcc,
      subject: meta.subject,
      snippet: meta.snippet,
      status: row.status,
      statusReason: row.statusReason,
      sentAt: row.sentAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    });
  }
  return { data, nextCursor: page.nextCursor };
}
