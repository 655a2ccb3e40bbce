// POST …/messages/{messageId}/reply: answers a message of the mailbox in its thread.
// To: the original's Reply-To, else its sender (for a message this mailbox sent: its
// original recipients). Reply-all adds the original To and Cc, minus the mailbox.
import "server-only";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { ApiError } from "@/lib/errors";
import { getMessageRowOrThrow } from "@/lib/messages/get-message";
import type { MessageContent, Participant } from "@/lib/messages/message-content";
import { openMessage } from "@/lib/messages/seal-message";
import { normalizeAddress } from "@/lib/outbound/addresses";
import { acceptOutbound, assertCanSend, outboundMessageId, type Idempotency, type SendingMailbox } from "@/lib/outbound/accept-outbound";
import { MAX_RECIPIENTS, type ReplyMessageBody } from "@/lib/outbound/schemas";
import { assertMessageSize } from "@/lib/outbound/send-message";

/** Keeps the References header bounded: the root and the most recent ancestors. */
const MAX_REFERENCES = 50;

export function replySubject(subject: string): string {
  return /^\s*re\s*:/i.test(subject) ? subject : `Re: ${subject}`;
}

function uniqueExcluding(list: Participant[], exclude: Set<string>): Participant[] {
  const out: Participant[] = [];
  for (const p of list) {
    const key = normalizeAddress(p.address);
    if (exclude.has(key)) continue;
    exclude.add(key);
    out.push({ address: p.address, name: p.name ?? null });
  }
  return out;
}

export function replyRecipients(
  original: { direction: "inbound" | "outbound"; from: Participant; to: Participant[]; cc: Participant[]; replyTo: Participant[] },
  mailboxAddress: string,
  replyAll: boolean,
): { to: Participant[]; cc: Participant[] } {
  const self = normalizeAddress(mailboxAddress);
  const primary =
    original.direction === "outbound" ? original.to : original.replyTo.length ? original.replyTo : [original.from];
  const seen = new Set<string>([self]);
  let to = uniqueExcluding(primary, seen);
  // Replying to a message the mailbox sent to itself: keep it addressed to itself.
  if (to.length === 0) to = [{ address: mailboxAddress, name: null }];
  const cc = replyAll ? uniqueExcluding(original.direction === "outbound" ? original.cc : [...original.to, ...original.cc], seen) : [];
  return { to, cc };
}

export function replyReferences(original: { messageId: string; references: string[] }): string[] {
  const chain = [...original.references.filter((r) => r !== original.messageId), original.messageId];
  return chain.length > MAX_REFERENCES ? [chain[0], ...chain.slice(chain.length - MAX_REFERENCES + 1)] : chain;
}

export async function replyToMessage(input: {
  tenantId: string;
  mailbox: SendingMailbox;
  messageId: string;
  body: ReplyMessageBody;
  idempotency: Idempotency;
}) {
  const { tenantId, mailbox } = input;
  assertCanSend(mailbox);
  assertMessageSize(input.body);
  return acceptOutbound({
    tenantId,
    mailbox,
    idempotency: input.idempotency,
    build: async (id) => {
      const row = await getMessageRowOrThrow({ tenantId, mailboxId: mailbox.id, id: input.messageId });
      const cipher = await getMailboxCipher(tenantId, mailbox.id);
      const { meta } = openMessage(cipher, row, { full: false });
      const { to, cc } = replyRecipients({ direction: row.direction, ...meta }, mailbox.address, input.body.replyAll);
      if (to.length + cc.length > MAX_RECIPIENTS) {
        throw new ApiError("validation_error", `A reply-all would have ${to.length + cc.length} recipients; at most ${MAX_RECIPIENTS}`, {
          details: [{ path: "replyAll", message: `at most ${MAX_RECIPIENTS} recipients` }],
        });
      }
      const content: MessageContent = {
        from: { address: mailbox.address, name: mailbox.displayName },
        to,
        cc,
        bcc: [],
        replyTo: [],
        subject: replySubject(meta.subject),
        text: input.body.text ?? null,
        html: input.body.html ?? null,
        headers: [],
        messageId: outboundMessageId(id, mailbox.address),
        inReplyTo: meta.messageId,
        references: replyReferences(meta),
        attachments: [],
      };
      return { content, threadId: row.threadId };
    },
  });
}
