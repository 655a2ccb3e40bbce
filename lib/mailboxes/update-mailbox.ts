import "server-only";
import type { z } from "zod";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { setMailboxStatusIn } from "@/lib/mailboxes/set-mailbox-status";
import type { updateMailboxBody } from "@/lib/mailboxes/schemas";

export type UpdateMailboxInput = z.infer<typeof updateMailboxBody>;

/** Display name, status, limits and send policy; limits stay within the tenant's caps (SPEC §4). */
export async function updateMailbox(input: {
  tenantId: string;
  mailboxId: string;
  changes: UpdateMailboxInput;
  actor: Actor;
  mayChangeStatus: boolean;
}) {
  const { changes } = input;
  if (changes.status !== undefined && !input.mayChangeStatus) {
    throw new ApiError("forbidden", "Only a management key (sm_mgmt_) can suspend or resume a mailbox");
  }
  const db = getDb();
  const mailbox = await getMailboxOrThrow({ tenantId: input.tenantId, id: input.mailboxId });
  const tenant = await db.tenant.findFirstOrThrow({ where: { id: input.tenantId } });
  const details: { path: string; message: string }[] = [];
  if (changes.limits?.sendPerMinute !== undefined && changes.limits.sendPerMinute > tenant.maxSendPerMinute) {
    details.push({ path: "limits.sendPerMinute", message: `must be at most ${tenant.maxSendPerMinute} (the tenant cap)` });
  }
  if (changes.limits?.sendPerDay !== undefined && changes.limits.sendPerDay > tenant.maxSendPerDay) {
    details.push({ path: "limits.sendPerDay", message: `must be at most ${tenant.maxSendPerDay} (the tenant cap)` });
  }
  if (details.length) throw new ApiError("validation_error", "A limit is above the tenant's cap", { details });

  return db.$transaction(async (tx) => {
    if (changes.status !== undefined) {
      await setMailboxStatusIn(tx, { tenantId: input.tenantId, mailboxId: mailbox.id, status: changes.status, actor: input.actor });
    }
    const updated = await tx.mailbox.update({
      where: { id: mailbox.id, tenantId: input.tenantId },
      data: {
        ...(changes.displayName !== undefined ? { displayName: changes.displayName?.trim() || null } : {}),
        ...(changes.limits?.sendPerMinute !== undefined ? { sendPerMinute: changes.limits.sendPerMinute } : {}),
        ...(changes.limits?.sendPerDay !== undefined ? { sendPerDay: changes.limits.sendPerDay } : {}),
        ...(changes.sendPolicy !== undefined ? { sendPolicy: changes.sendPolicy } : {}),
      },
    });
    if (changes.sendPolicy !== undefined && changes.sendPolicy !== mailbox.sendPolicy) {
      await recordAuditEvent(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "mailbox.send_policy_changed",
        targetType: "mailbox",
        targetId: mailbox.id,
        metadata: { from: mailbox.sendPolicy, to: changes.sendPolicy },
      });
    }
    if (changes.limits || changes.displayName !== undefined) {
      await recordAuditEvent(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "mailbox.updated",
        targetType: "mailbox",
        targetId: mailbox.id,
        metadata: { displayName: changes.displayName !== undefined, limits: changes.limits ?? null },
      });
    }
    return updated;
  });
}
