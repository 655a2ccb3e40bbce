import "server-only";
import { getDb, type Tx } from "@/lib/db";
import { recordEvent } from "@/lib/events/record-event";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";

export type SettableMailboxStatus = "active" | "suspended";

type StatusChange = { tenantId: string; mailboxId: string; status: SettableMailboxStatus; actor: Actor };

/** Suspends or resumes a mailbox of the tenant; a deleted or foreign mailbox is not found. */
export async function setMailboxStatus(input: StatusChange) {
  return getDb().$transaction((tx) => setMailboxStatusIn(tx, input));
}

/**
 * The one place a mailbox's status changes (REST PATCH and the dashboard), inside
 * the caller's transaction: one audit event (mailbox.suspended / mailbox.resumed)
 * when the status really changes, none when it already was so.
 */
export async function setMailboxStatusIn(tx: Tx, input: StatusChange) {
  const mailbox = await tx.mailbox.findFirst({
    where: { id: input.mailboxId, tenantId: input.tenantId, status: { not: "deleted" } },
    select: { id: true, address: true, status: true },
  });
  if (!mailbox) throw new ApiError("not_found", "Mailbox not found");
  if (mailbox.status === input.status) return mailbox;
  const updated = await tx.mailbox.update({
    where: { tenantId_id: { tenantId: input.tenantId, id: mailbox.id } },
    data: { status: input.status },
    select: { id: true, address: true, status: true },
  });
  await recordAuditEvent(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: input.status === "suspended" ? "mailbox.suspended" : "mailbox.resumed",
    targetType: "mailbox",
    targetId: mailbox.id,
    metadata: { address: mailbox.address },
  });
  if (input.status === "suspended") {
    await recordEvent(tx, { tenantId: input.tenantId, mailboxId: mailbox.id, type: "mailbox.suspended", data: { mailboxId: mailbox.id } });
  }
  return updated;
}
