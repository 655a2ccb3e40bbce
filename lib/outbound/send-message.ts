// POST /api/v1/mailboxes/{mailboxId}/messages: a new message from the mailbox.
import "server-only";
import { ApiError } from "@/lib/errors";
import type { MessageContent, Participant } from "@/lib/messages/message-content";
import { parseAddress } from "@/lib/outbound/addresses";
import { acceptOutbound, outboundMessageId, type Idempotency, type SendingMailbox, type SendVia } from "@/lib/outbound/accept-outbound";
import { MAX_MESSAGE_BYTES, messageSizeBytes, type SendMessageBody } from "@/lib/outbound/schemas";

export function participants(list: string[] | undefined): Participant[] {
  return (list ?? []).map((v) => {
    const parsed = parseAddress(v)!; // the schema validated every address
    return { address: parsed.address, name: parsed.name };
  });
}

export function assertMessageSize(body: Parameters<typeof messageSizeBytes>[0]): void {
  const size = messageSizeBytes(body);
  if (size > MAX_MESSAGE_BYTES) {
    throw new ApiError("payload_too_large", `The message is ${size} bytes after base64; at most ${MAX_MESSAGE_BYTES} are accepted`);
  }
}

export function sendContent(mailbox: SendingMailbox, body: SendMessageBody, messageId: string): MessageContent {
  return {
    from: { address: mailbox.address, name: mailbox.displayName },
    to: participants(body.to),
    cc: participants(body.cc),
    bcc: participants(body.bcc),
    replyTo: participants(body.replyTo),
    subject: body.subject,
    text: body.text ?? null,
    html: body.html ?? null,
    headers: Object.entries(body.headers ?? {}),
    messageId: outboundMessageId(messageId, mailbox.address),
    inReplyTo: null,
    references: [],
    attachments: (body.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content.bytes,
      contentId: a.contentId ?? null,
      inline: a.contentId !== undefined,
    })),
  };
}

export async function sendMessage(input: {
  tenantId: string;
  mailbox: SendingMailbox;
  body: SendMessageBody;
  idempotency: Idempotency;
  via?: SendVia;
}) {
  assertMessageSize(input.body);
  return acceptOutbound({
    tenantId: input.tenantId,
    mailbox: input.mailbox,
    idempotency: input.idempotency,
    via: input.via,
    build: async (id) => ({ content: sendContent(input.mailbox, input.body, id) }),
  });
}
