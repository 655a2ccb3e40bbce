// The explicit serializer of SPEC §3's Message object: it copies named fields only,
// so hashes, search tokens and ciphertext can never reach a response.
import type { Participant } from "@/lib/messages/message-content";
import type { DecryptedMessage } from "@/lib/messages/seal-message";
import type { MessageDto } from "@/lib/messages/schemas";
import { SECURITY_FLAGS, type SecurityFlag } from "@/lib/messages/screen-message";

export type MessageDtoRow = {
  id: string;
  mailboxId: string;
  threadId: string;
  direction: "inbound" | "outbound";
  status: MessageDto["status"];
  statusReason: string | null;
  read: boolean;
  labels: string[];
  sizeBytes: number;
  sentAt: Date | null;
  createdAt: Date;
  /** Screening flags of inbound mail; absent (a fresh outbound row) reads as none. */
  securityFlags?: string[] | null;
};

const participant = (p: Participant) => ({ address: p.address, name: p.name ?? null });

/** Known flag names only, in their documented order: a stored value we do not know is not shown. */
function securityFlagsOf(stored: string[] | null | undefined): SecurityFlag[] {
  if (!stored?.length) return [];
  return SECURITY_FLAGS.filter((f) => stored.includes(f));
}

export function toMessageDto(row: MessageDtoRow, decrypted: DecryptedMessage, options: { full: boolean }): MessageDto {
  const { meta, body } = decrypted;
  const dto: MessageDto = {
    id: row.id,
    mailboxId: row.mailboxId,
    threadId: row.threadId,
    direction: row.direction,
    status: row.status,
    statusReason: row.statusReason,
    from: participant(meta.from),
    to: meta.to.map(participant),
    cc: meta.cc.map(participant),
    bcc: row.direction === "outbound" ? meta.bcc.map(participant) : [],
    replyTo: meta.replyTo.map(participant),
    subject: meta.subject,
    snippet: meta.snippet,
    messageId: meta.messageId,
    inReplyTo: meta.inReplyTo,
    references: [...meta.references],
    labels: [...row.labels],
    read: row.read,
    attachments: meta.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      contentId: a.contentId,
      inline: a.inline,
    })),
    sizeBytes: row.sizeBytes,
    security: { flags: securityFlagsOf(row.securityFlags) },
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
  if (options.full) {
    if (!body) throw new Error("toMessageDto({ full: true }) needs the decrypted body");
    dto.text = body.text;
    dto.html = body.html;
    dto.headers = body.headers.map(([name, value]) => ({ name, value }));
  }
  return dto;
}
