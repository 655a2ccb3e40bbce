"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { setMailboxStatus } from "@/lib/mailboxes/set-mailbox-status";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { updateMailbox } from "@/lib/mailboxes/update-mailbox";
import { NO_CONTROL_CHARS, updateMailboxBody } from "@/lib/mailboxes/schemas";

const createMailboxSchema = z.object({
  localPart: z.string().trim().min(1, "Enter the part before the @"),
  domain: z.string().trim().min(1, "Choose a domain"),
  displayName: z.string().trim().max(200).regex(NO_CONTROL_CHARS, "must not contain control characters").optional(),
  clientRef: z.string().trim().max(200).regex(NO_CONTROL_CHARS, "must not contain control characters").optional(),
});

// Create a mailbox on one of the tenant's domains.
export async function createMailboxAction(raw: z.input<typeof createMailboxSchema>) {
  return runSessionAction({ role: "admin", action: "create mailboxes" }, async (session) => {
    const input = createMailboxSchema.parse(raw);
    const mailbox = await createMailbox({ tenantId: session.tenant.id, actor: session.actor, ...input });
    return { id: mailbox.id, address: mailbox.address };
  });
}

const statusSchema = z.object({ mailboxId: z.string().min(1), status: z.enum(["active", "suspended"]) });

// Suspend or resume a mailbox.
export async function setMailboxStatusAction(raw: z.input<typeof statusSchema>) {
  return runSessionAction({ role: "admin", action: "suspend or resume mailboxes" }, async (session) => {
    const input = statusSchema.parse(raw);
    const mailbox = await setMailboxStatus({ tenantId: session.tenant.id, actor: session.actor, ...input });
    return { id: mailbox.id, status: mailbox.status };
  });
}

const deleteSchema = z.object({ mailboxId: z.string().min(1) });

// Delete a mailbox: its data key is destroyed and its keys are revoked.
export async function deleteMailboxAction(raw: z.input<typeof deleteSchema>) {
  return runSessionAction({ role: "admin", action: "delete mailboxes" }, async (session) => {
    const { mailboxId } = deleteSchema.parse(raw);
    const mailbox = await deleteMailbox({ tenantId: session.tenant.id, mailboxId, actor: session.actor });
    return { id: mailbox.id };
  });
}

const settingsSchema = z.object({ mailboxId: z.string().min(1), changes: updateMailboxBody.omit({ status: true }) });

// Change a mailbox's display name and sending limits (within the tenant's caps).
export async function updateMailboxSettingsAction(raw: z.input<typeof settingsSchema>) {
  return runSessionAction({ role: "admin", action: "change mailbox settings" }, async (session) => {
    const { mailboxId, changes } = settingsSchema.parse(raw);
    const mailbox = await updateMailbox({ tenantId: session.tenant.id, mailboxId, changes, actor: session.actor, mayChangeStatus: false });
    return { id: mailbox.id, sendPerMinute: mailbox.sendPerMinute, sendPerDay: mailbox.sendPerDay, displayName: mailbox.displayName };
  });
}
