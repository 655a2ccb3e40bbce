// POST …/messages/{messageId}/reply: answers a message of the mailbox in its thread.
// To: the original's Reply-To, else its sender (for a message this mailbox sent: its
// original recipients). Reply-all adds the original To and Cc, minus the mailbox.
// Everything taken from the original is treated as hostile: recipients are validated
// like a send's (unusable ones are left out with a warning in the response; 400 when
// nobody is left), the subject is unfolded onto one line and unsafe message ids are
// dropped, so no CR or LF from received mail ever reaches a provider.
import "server-only";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { ApiError } from "@/lib/errors";
import { getMessageRowOrThrow } from "@/lib/messages/get-message";
import type { MessageContent, Participant } from "@/lib/messages/message-content";
import { openMessage } from "@/lib/messages/seal-message";
import { isValidAddress, normalizeAddress } from "@/lib/outbound/addresses";
import { acceptOutbound, assertCanSend, outboundMessageId, type Idempotency, type SendingMailbox, type SendVia } from "@/lib/outbound/accept-outbound";
import { MAX_RECIPIENTS, type ReplyMessageBody } from "@/lib/outbound/schemas";
import { assertMessageSize } from "@/lib/outbound/send-message";

/** Keeps the References header bounded: the root and the most recent ancestors. */
const MAX_REFERENCES = 50;

/** Longest subject a reply derives (RFC 5322's line limit, like a send's subject). */
const MAX_SUBJECT = 998;

/**
 * A header value taken from received mail, on one line: every run of control
 * characters (CR and LF of a folded or decoded value, NUL, tabs) becomes one space.
 * One pass over a length-capped value, no backtracking.
 */
export function unfoldHeaderValue(value: string, max: number): string {
  return value.slice(0, max * 4).replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, max);
}

export function replySubject(subject: string): string {
  const line = unfoldHeaderValue(subject, MAX_SUBJECT - 4);
  return /^\s*re\s*:/i.test(line) ? line : `Re: ${line}`;
}

/**
 * A participant of received (possibly hostile) mail, made safe to address the way a
 * send's recipient is validated: a valid address and a one-line name of at most 200
 * characters; null for a name-only entry, an address with spaces or anything else.
 */
export function addressableParticipant(p: Participant): Participant | null {
  const address = typeof p.address === "string" && p.address.length <= 254 ? p.address.trim() : "";
  if (!isValidAddress(address)) return null;
  const name = typeof p.name === "string" ? unfoldHeaderValue(p.name, 200).replace(/[<>]/g, "") : "";
  return { address, name: name || null };
}

/** How a dropped participant is named in the warning: its display name or raw address, on one line. */
function describeDropped(p: Participant): string {
  const label = unfoldHeaderValue(typeof p.name === "string" && p.name ? p.name : String(p.address ?? ""), 80);
  return label ? `"${label}"` : "an empty entry";
}

function uniqueExcluding(list: Participant[], exclude: Set<string>, dropped: Participant[]): Participant[] {
  const out: Participant[] = [];
  for (const raw of list) {
    const p = addressableParticipant(raw);
    if (!p) {
      dropped.push(raw);
      continue;
    }
    const key = normalizeAddress(p.address);
    if (exclude.has(key)) continue;
    exclude.add(key);
    out.push(p);
  }
  return out;
}

export function replyRecipients(
  original: { direction: "inbound" | "outbound"; from: Participant; to: Participant[]; cc: Participant[]; replyTo: Participant[] },
  mailboxAddress: string,
  replyAll: boolean,
): { to: Participant[]; cc: Participant[]; dropped: Participant[] } {
  const self = normalizeAddress(mailboxAddress);
  const primary =
    original.direction === "outbound" ? original.to : original.replyTo.length ? original.replyTo : [original.from];
  const seen = new Set<string>([self]);
  const dropped: Participant[] = [];
  let to = uniqueExcluding(primary, seen, dropped);
  let cc = replyAll ? uniqueExcluding(original.direction === "outbound" ? original.cc : [...original.to, ...original.cc], seen, dropped) : [];
  if (to.length === 0 && dropped.length > 0) {
    // The sender has no usable address: a reply-all still reaches the others; otherwise nobody is left.
    if (cc.length === 0) {
      throw new ApiError("validation_error", "The message has no valid address to reply to", {
        details: [{ path: "messageId", message: `its sender has no valid address (${dropped.map(describeDropped).join(", ")})` }],
      });
    }
    to = cc;
    cc = [];
  }
  // Replying to a message the mailbox sent to itself: keep it addressed to itself.
  if (to.length === 0) to = [{ address: mailboxAddress, name: null }];
  return { to, cc, dropped };
}

/** An RFC 5322 msg-id a reply may repeat in its headers: <…> of visible ASCII, no spaces, bounded. */
export function isSafeMessageId(id: unknown): id is string {
  return typeof id === "string" && id.length <= 998 && /^<[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(id);
}

/**
 * The References of a reply (RFC 5322 §3.6.4): the parent's References, or its
 * In-Reply-To when it has none, then the parent's Message-ID; ids that could break a
 * header line are left out, and the list is bounded (the root and the latest ancestors).
 */
export function replyReferences(original: { messageId: string; inReplyTo?: string | null; references: string[] }): string[] {
  const ancestors = original.references.length ? original.references : original.inReplyTo ? [original.inReplyTo] : [];
  const chain = [...ancestors.filter((r) => r !== original.messageId), original.messageId].filter(isSafeMessageId);
  return chain.length > MAX_REFERENCES ? [chain[0], ...chain.slice(chain.length - MAX_REFERENCES + 1)] : chain;
}

export async function replyToMessage(input: {
  tenantId: string;
  mailbox: SendingMailbox;
  messageId: string;
  body: ReplyMessageBody;
  idempotency: Idempotency;
  via?: SendVia;
}) {
  const { tenantId, mailbox } = input;
  assertCanSend(mailbox);
  assertMessageSize(input.body);
  return acceptOutbound({
    tenantId,
    mailbox,
    idempotency: input.idempotency,
    via: input.via,
    build: async (id) => {
      const row = await getMessageRowOrThrow({ tenantId, mailboxId: mailbox.id, id: input.messageId });
      const cipher = await getMailboxCipher(tenantId, mailbox.id);
      const { meta } = openMessage(cipher, row, { full: false });
      const { to, cc, dropped } = replyRecipients({ direction: row.direction, ...meta }, mailbox.address, input.body.replyAll);
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
        inReplyTo: isSafeMessageId(meta.messageId) ? meta.messageId : null,
        references: replyReferences(meta),
        attachments: [],
      };
      const warnings = dropped.map((p) => ({
        code: "recipient_dropped",
        message: `Left out ${describeDropped(p)} of the original message: it has no valid email address`,
      }));
      return { content, threadId: row.threadId, warnings };
    },
  });
}
