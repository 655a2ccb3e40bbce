"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { approveHeldMessage, rejectHeldMessage } from "@/lib/outbound/approve-message";
import { approvalEdits, rejectMessageBody } from "@/lib/outbound/schemas";

const approveSchema = z.object({ mailboxId: z.string().min(1), messageId: z.string().min(1), edits: approvalEdits.optional() });

// Approve a held send, optionally after editing recipients, subject and body (validated like a send). Owners and admins only.
export async function approveMessageAction(raw: z.input<typeof approveSchema>) {
  return runSessionAction({ role: "admin", action: "approve sends" }, async (session) => {
    const input = approveSchema.parse(raw);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: input.mailboxId });
    const message = await approveHeldMessage({ tenantId: session.tenant.id, mailboxId: mailbox.id, messageId: input.messageId, actor: session.actor, edits: input.edits });
    return { id: message.id, status: message.status };
  });
}

const rejectSchema = z.object({ mailboxId: z.string().min(1), messageId: z.string().min(1) }).extend(rejectMessageBody.shape);

// Reject a held send with an optional reason: it is never sent. Owners and admins only.
export async function rejectMessageAction(raw: z.input<typeof rejectSchema>) {
  return runSessionAction({ role: "admin", action: "reject sends" }, async (session) => {
    const input = rejectSchema.parse(raw);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: input.mailboxId });
    const message = await rejectHeldMessage({ tenantId: session.tenant.id, mailboxId: mailbox.id, messageId: input.messageId, actor: session.actor, reason: input.reason });
    return { id: message.id, status: message.status };
  });
}
