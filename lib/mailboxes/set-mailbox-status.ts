import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";

export type SettableMailboxStatus = "active" | "suspended";

/** Suspends or resumes a mailbox of the tenant; a deleted or foreign mailbox is not found. */
export async function setMailboxStatus(input: {
  tenantId: string;
  mailboxId: string;
  status: SettableMailboxStatus;
  actor: Actor;
}) {
  return getDb().$transaction(async (tx) => {
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
    return updated;
  });
}
