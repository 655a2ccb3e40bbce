"use server";

import { z } from "zod";
import { addListEntry, addTenantListEntry, removeListEntry, removeTenantListEntry } from "@/lib/guardrails/lists";
import { deleteQuarantined, releaseQuarantined } from "@/lib/guardrails/quarantine";
import { listEntryValue } from "@/lib/guardrails/schemas";
import { setTenantSending } from "@/lib/guardrails/sending-switch";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { runSessionAction } from "@/lib/http/with-session";
import { isUuid } from "@/lib/ids";

const sendingSchema = z.object({ sending: z.enum(["active", "paused"]) });

// The kill switch: owners only (SPEC §13 "an owner can stop all sending of the tenant at once").
export async function setTenantSendingAction(raw: z.input<typeof sendingSchema>) {
  return runSessionAction({ role: "owner", action: "pause or resume sending" }, async (session) => {
    const { sending } = sendingSchema.parse(raw);
    const { tenant } = await setTenantSending({ tenantId: session.tenant.id, sending, actor: session.actor });
    return { sending: tenant.sending };
  });
}

const listSchema = z.object({
  // Absent: the tenant-wide list.
  mailboxId: z.string().min(1).optional(),
  direction: z.enum(["send", "receive"]),
  kind: z.enum(["allow", "block"]),
  entry: z.string(),
});

// Add an address or @domain to a mailbox's list or, without a mailbox, to the tenant-wide list (owners and admins).
export async function addListEntryAction(raw: z.input<typeof listSchema>) {
  return runSessionAction({ role: "admin", action: "change allow and block lists" }, async (session) => {
    const input = listSchema.parse(raw);
    const list = { tenantId: session.tenant.id, direction: input.direction, kind: input.kind, entry: listEntryValue.parse(input.entry) };
    if (!input.mailboxId) return (await addTenantListEntry({ ...list, actor: session.actor })).entry;
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: input.mailboxId });
    const { entry } = await addListEntry({ ...list, mailboxId: mailbox.id });
    return entry;
  });
}

export async function removeListEntryAction(raw: z.input<typeof listSchema>) {
  return runSessionAction({ role: "admin", action: "change allow and block lists" }, async (session) => {
    const input = listSchema.parse(raw);
    const list = { tenantId: session.tenant.id, direction: input.direction, kind: input.kind, entry: listEntryValue.parse(input.entry) };
    if (!input.mailboxId) {
      await removeTenantListEntry({ ...list, actor: session.actor });
      return { entry: input.entry };
    }
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: input.mailboxId });
    await removeListEntry({ ...list, mailboxId: mailbox.id });
    return { entry: input.entry };
  });
}

const quarantineSchema = z.object({ id: z.string().refine(isUuid, "Not a quarantined message id") });

// Release a held message: it becomes inbound mail and is announced once (owners and admins).
export async function releaseQuarantinedAction(raw: z.input<typeof quarantineSchema>) {
  return runSessionAction({ role: "admin", action: "release quarantined mail" }, async (session) => {
    const { id } = quarantineSchema.parse(raw);
    return releaseQuarantined({ tenantId: session.tenant.id, id, actor: session.actor });
  });
}

// Delete a held message for good (owners and admins).
export async function deleteQuarantinedAction(raw: z.input<typeof quarantineSchema>) {
  return runSessionAction({ role: "admin", action: "delete quarantined mail" }, async (session) => {
    const { id } = quarantineSchema.parse(raw);
    await deleteQuarantined({ tenantId: session.tenant.id, id, actor: session.actor });
    return { id };
  });
}
