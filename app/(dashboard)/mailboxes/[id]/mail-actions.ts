"use server";

// The mail a member sends and files from the dashboard. Each action calls the same
// lib function as its REST route with the REST route's zod schema, so limits,
// suppression, idempotency and the outbox apply alike; a viewer is refused here
// (runSessionAction), whatever the browser shows.
import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { idempotencyRequestHash } from "@/lib/idempotency/idempotency-records";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { updateMessage } from "@/lib/messages/update-message";
import { updateMessageBody } from "@/lib/messages/schemas";
import { forwardMessage } from "@/lib/outbound/forward-message";
import { replyToMessage } from "@/lib/outbound/reply-message";
import { forwardMessageBody, replyMessageBody, sendMessageBody } from "@/lib/outbound/schemas";
import { sendMessage } from "@/lib/outbound/send-message";
import type { AcceptedResponse } from "@/lib/outbound/accept-outbound";
import type { MessageDto } from "@/lib/messages/schemas";
import { addSuppression } from "@/lib/suppression/add-suppression";
import { removeSuppression } from "@/lib/suppression/remove-suppression";
import { addSuppressionBody, suppressedAddress } from "@/lib/suppression/schemas";

const SEND = { role: "admin", action: "send mail from a mailbox" } as const;
const FILE = { role: "admin", action: "mark or label mail" } as const;
const SUPPRESS = { role: "admin", action: "change a suppression list" } as const;

const target = z.object({ mailboxId: z.string().min(1), idempotencyKey: z.uuid("A form token is missing; reload the page") });
const messageTarget = target.extend({ messageId: z.string().min(1) });

/** The form's one-time token becomes the Idempotency-Key: a double submit sends one email. */
function idempotency(tenantMailboxPath: string, key: string, body: unknown) {
  return { key: `dashboard:${key}`, requestHash: idempotencyRequestHash("POST", tenantMailboxPath, body) };
}

function sentSummary(result: AcceptedResponse) {
  const dto = result.body as MessageDto;
  return { id: dto.id, threadId: dto.threadId, status: dto.status, to: dto.to.map((p) => p.address) };
}

// Compose a new message (POST /api/v1/mailboxes/{id}/messages).
export async function composeAction(raw: { mailboxId: string; idempotencyKey: string; message: z.input<typeof sendMessageBody> }) {
  return runSessionAction(SEND, async (session) => {
    const { mailboxId, idempotencyKey } = target.parse(raw);
    const body = sendMessageBody.parse(raw.message);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: mailboxId });
    const path = `/api/v1/mailboxes/${mailbox.id}/messages`;
    return sentSummary(await sendMessage({ tenantId: session.tenant.id, mailbox, body, idempotency: idempotency(path, idempotencyKey, body) }));
  });
}

// Reply or reply all (POST …/messages/{messageId}/reply).
export async function replyAction(raw: { mailboxId: string; messageId: string; idempotencyKey: string; reply: z.input<typeof replyMessageBody> }) {
  return runSessionAction(SEND, async (session) => {
    const { mailboxId, messageId, idempotencyKey } = messageTarget.parse(raw);
    const body = replyMessageBody.parse(raw.reply);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: mailboxId });
    const path = `/api/v1/mailboxes/${mailbox.id}/messages/${messageId}/reply`;
    return sentSummary(
      await replyToMessage({ tenantId: session.tenant.id, mailbox, messageId, body, idempotency: idempotency(path, idempotencyKey, body) }),
    );
  });
}

// Forward a message to new recipients, with its attachments.
export async function forwardAction(raw: { mailboxId: string; messageId: string; idempotencyKey: string; forward: z.input<typeof forwardMessageBody> }) {
  return runSessionAction(SEND, async (session) => {
    const { mailboxId, messageId, idempotencyKey } = messageTarget.parse(raw);
    const body = forwardMessageBody.parse(raw.forward);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: mailboxId });
    const path = `/api/v1/mailboxes/${mailbox.id}/messages/${messageId}/forward`;
    return sentSummary(
      await forwardMessage({ tenantId: session.tenant.id, mailbox, messageId, body, idempotency: idempotency(path, idempotencyKey, body) }),
    );
  });
}

const fileTarget = z.object({ mailboxId: z.string().min(1), messageIds: z.array(z.string().min(1)).min(1).max(100) });

// Mark read/unread or replace labels (PATCH …/messages/{messageId}), for one message or a thread's.
export async function updateMessagesAction(raw: { mailboxId: string; messageIds: string[]; changes: z.input<typeof updateMessageBody> }) {
  return runSessionAction(FILE, async (session) => {
    const { mailboxId, messageIds } = fileTarget.parse(raw);
    const changes = updateMessageBody.parse(raw.changes);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: mailboxId });
    const updated = [];
    for (const id of messageIds) {
      const dto = await updateMessage({ tenantId: session.tenant.id, mailboxId: mailbox.id, id, changes });
      updated.push({ id: dto.id, read: dto.read, labels: dto.labels });
    }
    return updated;
  });
}

// Add an address to the mailbox's suppression list (POST …/suppressions).
export async function addSuppressionAction(raw: { mailboxId: string; suppression: z.input<typeof addSuppressionBody> }) {
  return runSessionAction(SUPPRESS, async (session) => {
    const { mailboxId } = z.object({ mailboxId: z.string().min(1) }).parse(raw);
    const body = addSuppressionBody.parse(raw.suppression);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: mailboxId });
    const { created, suppression } = await addSuppression({ tenantId: session.tenant.id, mailboxId: mailbox.id, ...body });
    return { created, address: suppression.address };
  });
}

// Remove an address from the list (DELETE …/suppressions/{address}).
export async function removeSuppressionAction(raw: { mailboxId: string; address: string }) {
  return runSessionAction(SUPPRESS, async (session) => {
    const input = z.object({ mailboxId: z.string().min(1), address: suppressedAddress }).parse(raw);
    const mailbox = await getMailboxOrThrow({ tenantId: session.tenant.id, id: input.mailboxId });
    await removeSuppression({ tenantId: session.tenant.id, mailboxId: mailbox.id, address: input.address.trim() });
    return { address: input.address.trim() };
  });
}
