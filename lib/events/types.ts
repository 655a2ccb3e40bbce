// The event types of SPEC §12 and the public shape of an event. Shared by the event
// log, the stream, the webhooks and their schemas.
import { z } from "zod";

export const EVENT_TYPES = [
  "message.received",
  "message.sent",
  "message.delivered",
  "message.delayed",
  "message.bounced",
  "message.complained",
  "message.failed",
  "message.suppressed",
  "message.pending_approval",
  "message.approved",
  "message.rejected",
  "mailbox.created",
  "mailbox.suspended",
  "mailbox.deleted",
  "key.expiring",
  "key.revoked",
  "domain.verified",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const eventTypeSchema = z.enum(EVENT_TYPES);

/** Ids and metadata only: content and addresses are reachable only through the message routes. */
export type EventData = Record<string, string | number | boolean | null | string[]>;

export const eventDto = z.object({
  id: z.string().describe("Increases per tenant; resume a stream after it (Last-Event-ID or ?after=)"),
  type: eventTypeSchema,
  createdAt: z.string(),
  tenantId: z.string(),
  mailboxId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export type EventDto = z.infer<typeof eventDto>;

/** Events that name mail keep their data encrypted under the mailbox's key. */
export function namesMail(type: EventType): boolean {
  return type.startsWith("message.");
}
