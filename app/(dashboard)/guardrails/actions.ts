"use server";

import { z } from "zod";
import { addListEntry, removeListEntry } from "@/lib/guardrails/lists";
import { listEntryValue } from "@/lib/guardrails/schemas";
import { setTenantSending } from "@/lib/guardrails/sending-switch";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { runSessionAction } from "@/lib/http/with-session";

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
  mailboxId: z.string().min(1),
  direction: z.enum(["send", "receive"]),
  kind: z.enum(["allow", "block"]),
  entry: z.string(),
});

// Add an address or @domain to a mailbox's list (the REST rules: management of the mailbox).
export async function addListEntryAction(raw: z.input<typeof listSchema>) {
  return runSessionAction({ role: "admin", action: "change allow and block lists" }, async (session) => {
    const input = listSchema.parse(raw);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: input.mailboxId });
    const { entry } = await addListEntry({ tenantId: session.tenant.id, mailboxId: mailbox.id, direction: input.direction, kind: input.kind, entry: listEntryValue.parse(input.entry) });
    return entry;
  });
}

export async function removeListEntryAction(raw: z.input<typeof listSchema>) {
  return runSessionAction({ role: "admin", action: "change allow and block lists" }, async (session) => {
    const input = listSchema.parse(raw);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: input.mailboxId });
    await removeListEntry({ tenantId: session.tenant.id, mailboxId: mailbox.id, direction: input.direction, kind: input.kind, entry: listEntryValue.parse(input.entry) });
    return { entry: input.entry };
  });
}
