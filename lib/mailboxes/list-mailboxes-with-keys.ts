// The dashboard's mailbox list: the one listing (list-mailboxes.ts) plus each
// mailbox's count of active keys.
import "server-only";
import { countActiveKeys } from "@/lib/keys/count-active-keys";
import { listMailboxes } from "@/lib/mailboxes/list-mailboxes";

export async function listMailboxesWithKeyCounts(input: Parameters<typeof listMailboxes>[0]) {
  const page = await listMailboxes(input);
  const counts = await countActiveKeys({ tenantId: input.tenantId, mailboxIds: page.data.map((m) => m.id) });
  return { data: page.data.map((m) => ({ ...m, activeKeys: counts.get(m.id) ?? 0 })), nextCursor: page.nextCursor };
}

export type MailboxListItem = Awaited<ReturnType<typeof listMailboxesWithKeyCounts>>["data"][number];
