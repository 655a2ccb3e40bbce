// Sends through the official Resend SDK (resend.emails.send with an idempotency key).
// The SDK never throws for HTTP errors: it returns { error: { statusCode, name } },
// with statusCode null when the request did not complete (network error, timeout).
import "server-only";
import type { CreateEmailOptions } from "resend";
import { getEnv } from "@/lib/env";
import { formatAddress, HEADER_BREAK_RE } from "@/lib/outbound/addresses";
import type { MessageContent } from "@/lib/outbound/content";
import { resendClient } from "@/lib/outbound/resend-client";
import type { MailProvider, OutboundEmail, ProviderResult, ProviderSendOptions } from "@/lib/outbound/providers/types";

/** The Resend payload of a stored message; deterministic, so a retry repeats it byte for byte. */
export function toResendPayload(email: OutboundEmail): CreateEmailOptions {
  const c: MessageContent = email.content;
  const headers: Record<string, string> = { "Message-ID": c.messageId };
  if (c.inReplyTo) headers["In-Reply-To"] = c.inReplyTo;
  if (c.references.length) headers.References = c.references.join(" ");
  for (const [name, value] of c.headers) headers[name] = value;
  const payload = {
    from: formatAddress(c.from),
    to: c.to.map(formatAddress),
    ...(c.cc.length ? { cc: c.cc.map(formatAddress) } : {}),
    ...(c.bcc.length ? { bcc: c.bcc.map(formatAddress) } : {}),
    ...(c.replyTo.length ? { replyTo: c.replyTo.map(formatAddress) } : {}),
    subject: c.subject,
    ...(c.text !== null ? { text: c.text } : {}),
    ...(c.html !== null ? { html: c.html } : {}),
    headers,
    ...(c.attachments.length
      ? {
          attachments: c.attachments.map((a) => ({
            filename: a.filename,
            content: a.content.toString("base64"),
            contentType: a.contentType,
            ...(a.contentId ? { contentId: a.contentId } : {}),
          })),
        }
      : {}),
    // Lets a delivery event find the message even before its provider id is saved.
    tags: [{ name: "sairaph_message_id", value: email.messageId }],
  };
  return payload as CreateEmailOptions;
}

/** Resend answers 409 concurrent_idempotent_requests while the first call with a key is still running. */
function isRetryable(status: number | null, name: string | undefined): boolean {
  if (status === null) return true;
  if (status === 429 || status >= 500) return true;
  return status === 409 && name === "concurrent_idempotent_requests";
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | null {
  if (typeof value !== "string" || value.length > 64) return null;
  const text = value.trim();
  if (/^\d{1,7}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Resend: 401 missing_api_key / restricted_api_key, 403 invalid_api_key (other 403s, such as an unverified domain, fail the message). */
function isCredentialError(status: number | null, name: string | undefined): boolean {
  return status === 401 || (status === 403 && name === "invalid_api_key");
}

/** The last guard before the wire: a line break in any header value would start a new header. */
export function headerBreakIn(c: MessageContent): string | null {
  const people = [c.from, ...c.to, ...c.cc, ...c.bcc, ...c.replyTo];
  for (const p of people) if (HEADER_BREAK_RE.test(p.address) || (p.name && HEADER_BREAK_RE.test(p.name))) return "an address";
  if (HEADER_BREAK_RE.test(c.subject)) return "the subject";
  for (const id of [c.messageId, c.inReplyTo ?? "", ...c.references]) if (HEADER_BREAK_RE.test(id)) return "a message id";
  for (const [name, value] of c.headers) if (HEADER_BREAK_RE.test(name) || HEADER_BREAK_RE.test(value)) return `header ${name.slice(0, 60)}`;
  for (const a of c.attachments) if (HEADER_BREAK_RE.test(a.filename) || HEADER_BREAK_RE.test(a.contentType)) return "an attachment name";
  return null;
}

export const resendProvider: MailProvider = {
  name: "resend",
  async send(email: OutboundEmail, options: ProviderSendOptions): Promise<ProviderResult> {
    const broken = headerBreakIn(email.content);
    if (broken) return { ok: false, retryable: false, httpStatus: null, message: `Not sent: ${broken} contains a line break (header injection)` };
    if (!getEnv().RESEND_API_KEY) {
      return { ok: false, retryable: true, httpStatus: null, message: "RESEND_API_KEY is not set", credentialsRejected: true };
    }
    let result;
    try {
      result = await resendClient().emails.send(toResendPayload(email), {
        idempotencyKey: options.idempotencyKey,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      return { ok: false, retryable: true, httpStatus: null, message: `Resend call failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (result.error || !result.data) {
      const error = result.error as { statusCode?: number | null; name?: string; message?: string } | null;
      const status = error?.statusCode ?? null;
      const retryAfterMs = parseRetryAfter((result.headers as Record<string, string> | null)?.["retry-after"]);
      const credentialsRejected = isCredentialError(status, error?.name);
      return {
        ok: false,
        retryable: credentialsRejected || isRetryable(status, error?.name),
        httpStatus: status,
        message: `Resend ${status ?? "network error"}${error?.name ? ` ${error.name}` : ""}: ${error?.message ?? "no response"}`.slice(0, 1000),
        ...(retryAfterMs !== null ? { retryAfterMs } : {}),
        ...(credentialsRejected ? { credentialsRejected } : {}),
      };
    }
    return { ok: true, providerMessageId: result.data.id };
  },
};
