// Every /api/v1 route, declared once: method, path, the role it needs, the zod
// schemas of its query, body (with its byte limit) and response, and whether it
// honours Idempotency-Key. withApiKey reads the entry (authenticates, checks the
// role, validates), route files answer 405 from it, and the OpenAPI document and
// the authorization matrix test are generated from it, so none of them can drift.
import { z } from "zod";
import type { RequiredRole } from "@/lib/keys/authenticate-key";
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
import { MAX_SEND_BODY_BYTES, approveMessageBody, forwardMessageBody, rejectMessageBody, replyMessageBody, sendMessageBody } from "@/lib/outbound/schemas";
import { addListEntryBody, listEntriesQuery, listEntryDto, tenantDto, updateTenantBody } from "@/lib/guardrails/schemas";
import { createDraftBody, draftDto, listDraftsQuery, sendDraftBody, updateDraftBody } from "@/lib/drafts/schemas";
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

export type RouteRole = RequiredRole;

/** The body limit of every JSON body but a send's. */
export const JSON_BODY_LIMIT = 1_000_000;

export type RouteSpec = {
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  /** Mailbox-scoped routes carry {mailboxId}; tenant-wide ones do not. */
  path: string;
  role: RouteRole;
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body's byte limit (413 above it); set with every body. */
  maxBodyBytes?: number;
  /** The body may be left out entirely (no bytes): it is then validated as `{}`. */
  optionalBody?: true;
  /** The success body: a zod schema, "binary" for raw bytes, or "openapi" for the OpenAPI document. */
  response?: z.ZodType | "binary" | "openapi";
  /** The success status; 200 unless set. */
  status?: number;
  tag?: string;
  /** Honours the Idempotency-Key header (send and reply). */
  idempotent?: true;
  /** Error statuses beyond the common ones, e.g. "409" for a taken address. */
  moreErrors?: readonly string[];
};

/** Keeps the entry's literal path and schema types, so the wrapper can type its context. */
function route<const R extends RouteSpec>(spec: R): R {
  return spec;
}

const deletedDto = z.object({ id: z.string(), deleted: z.literal(true) });

export const ROUTES = {
  whoami: route({ method: "GET", path: "/api/v1/whoami", role: "any", summary: "The calling key, its tenant and mailbox", response: whoamiDto, tag: "Keys" }),
  listMailboxes: route({ method: "GET", path: "/api/v1/mailboxes", role: "tenant", summary: "List mailboxes", query: listMailboxesQuery, response: pageOf(mailboxDto), tag: "Mailboxes" }),
  createMailbox: route({
    method: "POST",
    path: "/api/v1/mailboxes",
    role: "tenant",
    summary: "Create a mailbox",
    body: createMailboxBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: mailboxDto,
    status: 201,
    tag: "Mailboxes",
    moreErrors: ["409"],
  }),
  getMailbox: route({ method: "GET", path: "/api/v1/mailboxes/{mailboxId}", role: "read", summary: "Get a mailbox", response: mailboxDto, tag: "Mailboxes" }),
  updateMailbox: route({
    method: "PATCH",
    path: "/api/v1/mailboxes/{mailboxId}",
    role: "management",
    summary: "Update a mailbox",
    body: updateMailboxBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: mailboxDto,
    tag: "Mailboxes",
  }),
  deleteMailbox: route({ method: "DELETE", path: "/api/v1/mailboxes/{mailboxId}", role: "tenant", summary: "Delete a mailbox (crypto-shred, then purge)", response: deletedDto, tag: "Mailboxes" }),
  listMessages: route({
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/messages",
    role: "read",
    summary: "List and search messages, newest first (without text and html)",
    query: listMessagesQuery,
    response: pageOf(messageDto),
    tag: "Messages",
  }),
  sendMessage: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/messages",
    role: "read_write",
    summary: "Send a message: 202 with the queued message once suppression and limits pass (honours Idempotency-Key)",
    body: sendMessageBody,
    maxBodyBytes: MAX_SEND_BODY_BYTES,
    response: messageDto,
    status: 202,
    tag: "Sending",
    idempotent: true,
  }),
  replyToMessage: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/reply",
    role: "read_write",
    summary: "Reply in the message's thread (reply-all adds its To and Cc); honours Idempotency-Key",
    body: replyMessageBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: messageDto,
    status: 202,
    tag: "Sending",
    idempotent: true,
  }),
  forwardMessage: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/forward",
    role: "read_write",
    summary: "Forward a message with its attachments to new recipients (subject Fwd: …, same thread); honours Idempotency-Key",
    body: forwardMessageBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: messageDto,
    status: 202,
    tag: "Sending",
    idempotent: true,
  }),
  approveMessage: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/approve",
    role: "management",
    summary:
      "Approve a send held by the mailbox's send policy (status pending_approval): kill switch, suppression, allow/block lists and limits are checked now, then it is queued once; 409 not_pending_approval otherwise",
    body: approveMessageBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    optionalBody: true,
    response: messageDto,
    tag: "Guardrails",
    moreErrors: ["409", "422"],
  }),
  rejectMessage: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/reject",
    role: "management",
    summary: "Reject a held send (status rejected, never sent) with an optional reason; 409 not_pending_approval when it is not waiting",
    body: rejectMessageBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    optionalBody: true,
    response: messageDto,
    tag: "Guardrails",
    moreErrors: ["409"],
  }),
  getMessage: route({ method: "GET", path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}", role: "read", summary: "Get a message with text, html and headers", response: messageDto, tag: "Messages" }),
  updateMessage: route({
    method: "PATCH",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}",
    role: "read_write",
    summary: "Mark a message read or unread, replace its labels",
    body: updateMessageBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: messageDto,
    tag: "Messages",
  }),
  deleteMessage: route({ method: "DELETE", path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}", role: "read_write", summary: "Delete a message and its attachments", response: deletedDto, tag: "Messages" }),
  getAttachment: route({
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/attachments/{attachmentId}",
    role: "read",
    summary: "Download an attachment's bytes",
    response: "binary",
    tag: "Messages",
  }),
  listThreads: route({ method: "GET", path: "/api/v1/mailboxes/{mailboxId}/threads", role: "read", summary: "List threads, most recent activity first", query: listThreadsQuery, response: pageOf(threadDto), tag: "Threads" }),
  getThread: route({ method: "GET", path: "/api/v1/mailboxes/{mailboxId}/threads/{threadId}", role: "read", summary: "Get a thread with its messages, oldest first", response: threadWithMessagesDto, tag: "Threads" }),
  listDrafts: route({
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/drafts",
    role: "read",
    summary: "The mailbox's drafts, newest first (without text, html and headers)",
    query: listDraftsQuery,
    response: pageOf(draftDto),
    tag: "Drafts",
  }),
  createDraft: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/drafts",
    role: "read_write",
    summary: "Create a draft: the fields of a send, all optional until it is sent, plus inReplyTo (a message of this mailbox); encrypted like messages",
    body: createDraftBody,
    maxBodyBytes: MAX_SEND_BODY_BYTES,
    response: draftDto,
    status: 201,
    tag: "Drafts",
  }),
  getDraft: route({ method: "GET", path: "/api/v1/mailboxes/{mailboxId}/drafts/{draftId}", role: "read", summary: "Get a draft with text, html and headers", response: draftDto, tag: "Drafts" }),
  updateDraft: route({
    method: "PATCH",
    path: "/api/v1/mailboxes/{mailboxId}/drafts/{draftId}",
    role: "read_write",
    summary: "Change a draft: a field given replaces it (attachments: all of them), null clears it, a field left out stays",
    body: updateDraftBody,
    maxBodyBytes: MAX_SEND_BODY_BYTES,
    response: draftDto,
    tag: "Drafts",
    moreErrors: ["409"],
  }),
  deleteDraft: route({ method: "DELETE", path: "/api/v1/mailboxes/{mailboxId}/drafts/{draftId}", role: "read_write", summary: "Delete a draft and its attachments", response: deletedDto, tag: "Drafts" }),
  sendDraft: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/drafts/{draftId}/send",
    role: "read_write",
    summary:
      "Send a draft (body {}): validated like a send and accepted by the same path (202 with the message; the draft is deleted in the same transaction, so it is sent once); honours Idempotency-Key",
    body: sendDraftBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: messageDto,
    status: 202,
    tag: "Drafts",
    idempotent: true,
    moreErrors: ["409"],
  }),
  listSuppressions: route({
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/suppressions",
    role: "read",
    summary: "The mailbox's suppressed addresses, newest first",
    query: listSuppressionsQuery,
    response: pageOf(suppressionDto),
    tag: "Sending",
  }),
  addSuppression: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/suppressions",
    role: "management",
    summary: "Suppress an address for this mailbox (201; 200 when already listed)",
    body: addSuppressionBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: suppressionDto,
    status: 201,
    tag: "Sending",
  }),
  removeSuppression: route({
    method: "DELETE",
    path: "/api/v1/mailboxes/{mailboxId}/suppressions/{address}",
    role: "management",
    summary: "Remove a URL-encoded address from the mailbox's suppression list",
    response: z.object({ address: z.string(), deleted: z.literal(true) }),
    tag: "Sending",
  }),
  getUsage: route({ method: "GET", path: "/api/v1/mailboxes/{mailboxId}/usage", role: "read", summary: "Sending limits, what is used, and storage", response: usageDto, tag: "Mailboxes" }),
  listListEntries: route({
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/lists/{direction}/{kind}",
    role: "management",
    summary: "A mailbox's allow or block list for sending or receiving (direction send|receive, kind allow|block), newest first",
    query: listEntriesQuery,
    response: pageOf(listEntryDto),
    tag: "Guardrails",
  }),
  addListEntry: route({
    method: "POST",
    path: "/api/v1/mailboxes/{mailboxId}/lists/{direction}/{kind}",
    role: "management",
    summary: "Add an address or @domain to a mailbox's list (201; 200 when already listed)",
    body: addListEntryBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: listEntryDto,
    status: 201,
    tag: "Guardrails",
  }),
  removeListEntry: route({
    method: "DELETE",
    path: "/api/v1/mailboxes/{mailboxId}/lists/{direction}/{kind}/{entry}",
    role: "management",
    summary: "Remove a URL-encoded address or @domain from a mailbox's list",
    response: z.object({ entry: z.string(), deleted: z.literal(true) }),
    tag: "Guardrails",
  }),
  getTenant: route({ method: "GET", path: "/api/v1/tenant", role: "tenant", summary: "The key's tenant and whether its sending is paused", response: tenantDto, tag: "Guardrails" }),
  updateTenant: route({
    method: "PATCH",
    path: "/api/v1/tenant",
    role: "tenant",
    summary: "Pause or resume all sending of the tenant (kill switch): while paused sends answer 403 sending_paused and queued mail waits",
    body: updateTenantBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: tenantDto,
    tag: "Guardrails",
  }),
  mailboxEvents: route({
    method: "GET",
    path: "/api/v1/mailboxes/{mailboxId}/events",
    role: "read",
    summary:
      "The mailbox's events as Server-Sent Events (id: event id, event: type; resumes after Last-Event-ID; heartbeat every 15 s), or with Accept: application/json a page of events after ?after=",
    query: eventsQuery,
    response: eventPageDto,
    tag: "Events",
  }),
  tenantEvents: route({
    method: "GET",
    path: "/api/v1/events",
    role: "tenant",
    summary: "Every event of the tenant as Server-Sent Events, or with Accept: application/json a page of events after ?after=",
    query: eventsQuery,
    response: eventPageDto,
    tag: "Events",
  }),
  listWebhooks: route({
    method: "GET",
    path: "/api/v1/webhooks",
    role: "management",
    summary: "List webhook endpoints (a mailbox key: those of its own mailbox)",
    query: listWebhooksQuery,
    response: pageOf(webhookDto),
    tag: "Webhooks",
  }),
  createWebhook: route({
    method: "POST",
    path: "/api/v1/webhooks",
    role: "management",
    summary: "Create a webhook endpoint; the response carries its signing secret (whsec_…), shown only here",
    body: createWebhookBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: webhookWithSecretDto,
    status: 201,
    tag: "Webhooks",
  }),
  getWebhook: route({ method: "GET", path: "/api/v1/webhooks/{webhookId}", role: "management", summary: "Get a webhook endpoint", response: webhookDto, tag: "Webhooks" }),
  updateWebhook: route({
    method: "PATCH",
    path: "/api/v1/webhooks/{webhookId}",
    role: "management",
    summary: "Change a webhook endpoint's URL, filters, description or enabled state",
    body: updateWebhookBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: webhookDto,
    tag: "Webhooks",
  }),
  deleteWebhook: route({ method: "DELETE", path: "/api/v1/webhooks/{webhookId}", role: "management", summary: "Delete a webhook endpoint", response: deletedDto, tag: "Webhooks" }),
  rotateWebhookSecret: route({
    method: "POST",
    path: "/api/v1/webhooks/{webhookId}/rotate-secret",
    role: "management",
    summary: "Replace the signing secret (returned once; send an empty JSON object); the previous secret also signs for 24 h",
    body: rotateSecretBody,
    maxBodyBytes: JSON_BODY_LIMIT,
    response: webhookWithSecretDto,
    tag: "Webhooks",
  }),
  listWebhookDeliveries: route({
    method: "GET",
    path: "/api/v1/webhooks/{webhookId}/deliveries",
    role: "management",
    summary: "The endpoint's deliveries, newest first: status, attempts, last response code and time, next retry",
    query: listDeliveriesQuery,
    response: pageOf(deliveryDto),
    tag: "Webhooks",
  }),
  openapi: route({ method: "GET", path: "/api/v1/openapi.json", role: "none", summary: "This API as OpenAPI 3.1", response: "openapi", tag: "Meta" }),
};

/** The table in declaration order (the OpenAPI document's order). */
export const API_ROUTES: RouteSpec[] = Object.values(ROUTES);

/** Methods declared for a path template such as "/api/v1/mailboxes/{mailboxId}". */
export function methodsOf(pathTemplate: string): RouteSpec["method"][] {
  return API_ROUTES.filter((r) => r.path === pathTemplate).map((r) => r.method);
}
