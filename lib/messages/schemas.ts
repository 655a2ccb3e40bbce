// One zod schema per request and response of the message routes: it validates,
// types, feeds the OpenAPI document and the MCP tools.
import { z } from "zod";
import { paginationQuery } from "@/lib/pagination";
import { SECURITY_FLAGS } from "@/lib/messages/screen-message";

const booleanQuery = z.enum(["true", "false"]).transform((v) => v === "true");

export const labelSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\u0000-\u001f\u007f]+$/, "must not contain control characters");

export const listMessagesQuery = paginationQuery.extend({
  direction: z.enum(["inbound", "outbound"]).optional(),
  unread: booleanQuery.optional().describe("true: only unread messages; false: only read ones"),
  threadId: z.uuid().optional(),
  label: labelSchema.optional(),
  q: z.string().trim().min(1).max(500).optional().describe("Words that must all appear in the subject, participants or text"),
  after: z.uuid().optional().describe("Only messages newer than this message id"),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(30)
    .optional()
    .describe("Seconds (≤ 30) to wait for a matching message when none exists yet; without after, only messages arriving from now on match"),
});

export const listThreadsQuery = paginationQuery;

export const updateMessageBody = z
  .object({
    read: z.boolean().optional(),
    labels: z.array(labelSchema).max(50).optional().describe("Replaces the message's labels (at most 50, each 1-64 characters)"),
  })
  .strict();

export const participantDto = z.object({ address: z.string(), name: z.string().nullable() });

export const attachmentDto = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  contentId: z.string().nullable(),
  inline: z.boolean(),
});

export const messageStatus = z.enum(["received", "queued", "sent", "delivered", "delayed", "bounced", "complained", "failed", "pending_approval", "rejected"]);

export const messageDto = z.object({
  id: z.string(),
  mailboxId: z.string(),
  threadId: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  status: messageStatus,
  statusReason: z.string().nullable(),
  from: participantDto,
  to: z.array(participantDto),
  cc: z.array(participantDto),
  bcc: z.array(participantDto).describe("Only ever non-empty on outbound messages"),
  replyTo: z.array(participantDto),
  subject: z.string(),
  text: z.string().nullable().optional().describe("Present on a single message, omitted in lists"),
  html: z.string().nullable().optional().describe("Present on a single message, omitted in lists"),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional().describe("Present on a single message, omitted in lists"),
  snippet: z.string(),
  messageId: z.string().describe("RFC 5322 Message-ID"),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  labels: z.array(z.string()),
  read: z.boolean(),
  attachments: z.array(attachmentDto),
  sizeBytes: z.number().int(),
  security: z
    .object({
      flags: z
        .array(z.enum(SECURITY_FLAGS))
        .describe(
          "Advisory screening of inbound mail (empty when nothing was found, and for outbound mail): hidden_text (text a person would not see), link_text_mismatch (a link whose text names another host than its target), display_name_imitates_address (a sender name naming another address or site), prompt_injection (known phrasing aimed at an AI reader). Nothing is ever deleted because of them.",
        ),
    })
    .describe("Screening results; treat a flagged message with extra care"),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});

export type MessageDto = z.infer<typeof messageDto>;

export const threadDto = z.object({
  id: z.string(),
  mailboxId: z.string(),
  subject: z.string(),
  snippet: z.string(),
  participants: z.array(participantDto),
  messageCount: z.number().int(),
  unreadCount: z.number().int(),
  lastMessageAt: z.string(),
  createdAt: z.string(),
});

export const threadWithMessagesDto = threadDto.extend({ messages: z.array(messageDto) });

export const usageDto = z.object({
  mailboxId: z.string(),
  limits: z.object({ sendPerMinute: z.number().int(), sendPerDay: z.number().int() }),
  used: z.object({
    sentThisMinute: z.number().int(),
    sentToday: z.number().int(),
  }),
  resets: z.object({ minute: z.string(), day: z.string() }),
  storage: z.object({ messages: z.number().int(), attachments: z.number().int(), bytes: z.number().int() }),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });
