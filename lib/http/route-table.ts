// Every /api/v1 route with the role it needs and the zod schemas of its query, body
// and response. Route files answer 405 for the methods they do not serve; the
// authorization matrix test is generated from it, and the OpenAPI document is generated from it, so it cannot drift.
import { z } from "zod";
import { whoamiDto } from "@/lib/keys/whoami";
import { createMailboxBody, listMailboxesQuery, mailboxDto, updateMailboxBody } from "@/lib/mailboxes/schemas";
import {
  listMessagesQuery,
  listThreadsQuery,
  messageDto,
  pageOf,
  threadDto,
  threadWithMessagesDto,
  updateMessageBody,
  usageDto,
} from "@/lib/messages/schemas";
import { replyMessageBody, sendMessageBody } from "@/lib/outbound/schemas";
import { addSuppressionBody, listSuppressionsQuery, suppressionDto } from "@/lib/suppression/schemas";
import { eventPageDto, eventsQuery } from "@/lib/events/event-schemas";
import {
  createWebhookBody,
  deliveryDto,
  listDeliveriesQuery,
  listWebhooksQuery,
  rotateSecretBody,
  updateWebhookBody,
  webhookDto,
  webhookWithSecretDto,
} from "@/lib/webhooks/schemas";

export type RouteRole = "any" | "read" | "read_write" | "management" | "tenant" | "none";

export type RouteSpec = {
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  path: string;
  role: RouteRole;
  summary: string;
  /** Mailbox-scoped routes carry {mailboxId}; tenant-wide ones do not. */
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success body: a zod schema, "binary" for raw bytes, or "openapi" for the OpenAPI document. */
  response?: z.ZodType | "binary" | "openapi";
  /** The success status; 200 unless set. */
  status?: number;
  tag?: string;
  /** Honours the Idempotency-Key header (send and reply). */
  idempotent?: true;
  /** Error statuses beyond the common ones, e.g. "409" for a taken address. */
  moreErrors?: string[];
};

const deletedDto = z.object({ id: z.string(), deleted: z.literal(true) });

export const API_ROUTES: RouteSpec[] = [
  { method: "GET", path: "/api/v1/whoami", role: "any", summary: "The calling key, its tenant and mailbox", response: whoamiDto, tag: "Keys" },
  { method: "GET", path: "/api/v1/mailboxes", role: "tenant", summary: "List mailboxes", query: listMailboxesQuery, response: pageOf(mailboxDto), tag: "Mailboxes" },
  { method: "POST", path: "/api/v1/mailboxes", role: "tenant", summary: "Create a mailbox", body: createMailboxBody, response: mailboxDto, status: 201, tag: "Mailboxes", moreErrors: ["409"] },
  { method: "GET", path: "/api/v1/mailboxes/{mailboxId}", role: "read", summary: "Get a mailbox", response: mailboxDto, tag: "Mailboxes" },
  { method: "PATCH", path: "/api/v1/mailboxes/{mailboxId}", role: "management", summary: "Update a mailbox", body: updateMailboxBody, response: mailboxDto, tag: "Mailboxes" },
  { method: "DELETE", path: "/api/v1/mailboxes/{mailboxId}", role: "tenant", summary: "Delete a mailbox (crypto-shred, then purge)", response: deletedDto, tag: "Mailboxes" },
  {
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/messages",
    role: "read",
    summary: "List and search messages, newest first (without text and html)",
    query: listMessagesQuery,
    response: pageOf(messageDto),
    tag: "Messages",
  },
  {
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/messages",
    role: "read_write",
    summary: "Send a message: 202 with the queued message once suppression and limits pass (honours Idempotency-Key)",
    body: sendMessageBody,
    response: messageDto,
    status: 202,
    tag: "Sending",
    idempotent: true,
  },
  {
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/reply",
    role: "read_write",
    summary: "Reply in the message's thread (reply-all adds its To and Cc); honours Idempotency-Key",
    body: replyMessageBody,
    response: messageDto,
    status: 202,
    tag: "Sending",
    idempotent: true,
  },
  { method: "GET", path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}", role: "read", summary: "Get a message with text, html and headers", response: messageDto, tag: "Messages" },
  {
    method: "PATCH",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}",
    role: "read_write",
    summary: "Mark a message read or unread, replace its labels",
    body: updateMessageBody,
    response: messageDto,
    tag: "Messages",
  },
  { method: "DELETE", path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}", role: "read_write", summary: "Delete a message and its attachments", response: deletedDto, tag: "Messages" },
  {
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/attachments/{attachmentId}",
    role: "read",
    summary: "Download an attachment's bytes",
    response: "binary",
    tag: "Messages",
  },
  { method: "GET", path: "/api/v1/mailboxes/{mailboxId}/threads", role: "read", summary: "List threads, most recent activity first", query: listThreadsQuery, response: pageOf(threadDto), tag: "Threads" },
  { method: "GET", path: "/api/v1/mailboxes/{mailboxId}/threads/{threadId}", role: "read", summary: "Get a thread with its messages, oldest first", response: threadWithMessagesDto, tag: "Threads" },
  {
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/suppressions",
    role: "read",
    summary: "The mailbox's suppressed addresses, newest first",
    query: listSuppressionsQuery,
    response: pageOf(suppressionDto),
    tag: "Sending",
  },
  {
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/suppressions",
    role: "management",
    summary: "Suppress an address for this mailbox (201; 200 when already listed)",
    body: addSuppressionBody,
    response: suppressionDto,
    status: 201,
    tag: "Sending",
  },
  {
    method: "DELETE",
    path: "/api/v1/mailboxes/{mailboxId}/suppressions/{address}",
    role: "management",
    summary: "Remove a URL-encoded address from the mailbox's suppression list",
    response: z.object({ address: z.string(), deleted: z.literal(true) }),
    tag: "Sending",
  },
  { method: "GET", path: "/api/v1/mailboxes/{mailboxId}/usage", role: "read", summary: "Sending limits, what is used, and storage", response: usageDto, tag: "Mailboxes" },
  {
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/events",
    role: "read",
    summary:
      "The mailbox's events as Server-Sent Events (id: event id, event: type; resumes after Last-Event-ID; heartbeat every 15 s), or with Accept: application/json a page of events after ?after=",
    query: eventsQuery,
    response: eventPageDto,
    tag: "Events",
  },
  {
    method: "GET",
    path: "/api/v1/events",
    role: "tenant",
    summary: "Every event of the tenant as Server-Sent Events, or with Accept: application/json a page of events after ?after=",
    query: eventsQuery,
    response: eventPageDto,
    tag: "Events",
  },
  { method: "GET", path: "/api/v1/webhooks", role: "management", summary: "List webhook endpoints (a mailbox key: those of its own mailbox)", query: listWebhooksQuery, response: pageOf(webhookDto), tag: "Webhooks" },
  {
    method: "POST",
    path: "/api/v1/webhooks",
    role: "management",
    summary: "Create a webhook endpoint; the response carries its signing secret (whsec_…), shown only here",
    body: createWebhookBody,
    response: webhookWithSecretDto,
    status: 201,
    tag: "Webhooks",
  },
  { method: "GET", path: "/api/v1/webhooks/{webhookId}", role: "management", summary: "Get a webhook endpoint", response: webhookDto, tag: "Webhooks" },
  { method: "PATCH", path: "/api/v1/webhooks/{webhookId}", role: "management", summary: "Change a webhook endpoint's URL, filters, description or enabled state", body: updateWebhookBody, response: webhookDto, tag: "Webhooks" },
  { method: "DELETE", path: "/api/v1/webhooks/{webhookId}", role: "management", summary: "Delete a webhook endpoint", response: deletedDto, tag: "Webhooks" },
  {
    method: "POST",
    path: "/api/v1/webhooks/{webhookId}/rotate-secret",
    role: "management",
    summary: "Replace the signing secret (returned once); the previous secret also signs for 24 h",
    body: rotateSecretBody,
    response: webhookWithSecretDto,
    tag: "Webhooks",
  },
  {
    method: "GET",
    path: "/api/v1/webhooks/{webhookId}/deliveries",
    role: "management",
    summary: "The endpoint's deliveries, newest first: status, attempts, last response code and time, next retry",
    query: listDeliveriesQuery,
    response: pageOf(deliveryDto),
    tag: "Webhooks",
  },
  { method: "GET", path: "/api/v1/openapi.json", role: "none", summary: "This API as OpenAPI 3.1", response: "openapi", tag: "Meta" },
];

function toRegex(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+").replace(/\./g, "\\.")}/?$`);
}

const compiled = API_ROUTES.map((r) => ({ ...r, regex: toRegex(r.path) }));

/** Methods served at a concrete path; empty when no route matches the path. */
export function allowedMethods(pathname: string): string[] {
  return compiled.filter((r) => r.regex.test(pathname)).map((r) => r.method);
}
