// Customer webhook endpoints over REST (SPEC §12): one zod schema per request and
// response, feeding validation, types and the OpenAPI document.
import { z } from "zod";
import { paginationQuery } from "@/lib/pagination";
import { plainText } from "@/lib/mailboxes/schemas";
import { eventTypeSchema } from "@/lib/events/types";

const urlField = z.string().min(1).max(2048).describe("https://… (http and private addresses only where the deployment allows them)");

export const createWebhookBody = z
  .object({
    url: urlField,
    eventTypes: z.array(eventTypeSchema).max(50).optional().describe("Only these event types; omitted or empty means all"),
    mailboxIds: z.array(z.uuid()).max(1000).optional().describe("Only events of these mailboxes; omitted or empty means all"),
    description: plainText(500).nullish(),
  })
  .strict();

export const updateWebhookBody = z
  .object({
    url: urlField.optional(),
    eventTypes: z.array(eventTypeSchema).max(50).optional(),
    mailboxIds: z.array(z.uuid()).max(1000).optional(),
    description: plainText(500).nullable().optional(),
    enabled: z.boolean().optional().describe("false pauses deliveries; true re-enables an endpoint (also one disabled for failing)"),
  })
  .strict();

export const listWebhooksQuery = paginationQuery;
export const listDeliveriesQuery = paginationQuery.extend({
  status: z.enum(["pending", "succeeded", "failed"]).optional(),
});

export const webhookDto = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(eventTypeSchema),
  mailboxIds: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: z.string().nullable(),
  secretRotatingUntil: z.string().nullable().describe("Until then the previous secret signs too"),
  createdAt: z.string(),
});

export const webhookWithSecretDto = webhookDto.extend({
  secret: z.string().describe("whsec_…: shown only in this response"),
});

export const deliveryDto = z.object({
  id: z.string(),
  eventId: z.string().nullable(),
  eventType: z.string(),
  test: z.boolean(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastDurationMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

export type WebhookDto = z.infer<typeof webhookDto>;
export type DeliveryDto = z.infer<typeof deliveryDto>;

/** rotate-secret takes no fields: no body, or an empty JSON object. */
export const rotateSecretBody = z.object({}).strict();
