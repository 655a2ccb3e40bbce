"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { setMailboxStatus } from "@/lib/mailboxes/set-mailbox-status";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { updateMailbox } from "@/lib/mailboxes/update-mailbox";
import { createMailboxBody, updateMailboxBody } from "@/lib/mailboxes/schemas";

// Create a mailbox on one of the tenant's domains (the REST body's schema).
export async function createMailboxAction(raw: z.input<typeof createMailboxBody>) {
  return runSessionAction({ role: "admin", action: "create mailboxes" }, async (session) => {
    const input = createMailboxBody.parse(raw);
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
