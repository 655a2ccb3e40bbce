// Standard Webhooks verification (https://www.standardwebhooks.com) over the exact
// body BYTES: an MTA posts raw RFC 5322 messages, which need not be UTF-8, so the
// body is never turned into a string (svix's Webhook.verify takes a string, and a
// decode/re-encode round trip would change non-UTF-8 bytes and break the signature).
//
//   signed content = webhook-id "." webhook-timestamp "." body
//   webhook-signature = "v1,<base64 HMAC-SHA256>" (several, space-separated, during a secret rotation)
//   key = base64-decode(secret without its "whsec_" prefix)
//
// The timestamp must be within 5 minutes of now in both directions (replay window);
// every comparison is constant-time. svix-* header names are accepted as aliases.
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { ApiError } from "@/lib/errors";

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
const MAX_ID_LENGTH = 255;
const MAX_SIGNATURE_HEADER_LENGTH = 4096;
const MAX_SIGNATURES = 16;

export type SignedHeaders = { id: string; timestamp: string; signature: string };

function invalid(path: string, message: string): ApiError {
  return new ApiError("validation_error", "The webhook signature or timestamp is invalid", { details: [{ path, message }] });
}

/** The webhook-* headers (or their svix-* aliases), length-checked before anything reads them. */
export function signedHeaders(headers: Headers): SignedHeaders {
  const pick = (name: string) => headers.get(`webhook-${name}`) ?? headers.get(`svix-${name}`) ?? "";
  const id = pick("id");
  const timestamp = pick("timestamp");
  const signature = pick("signature");
  if (!id || id.length > MAX_ID_LENGTH || !/^[\x21-\x7e]+$/.test(id)) throw invalid("webhook-id", `required, 1-${MAX_ID_LENGTH} printable characters`);
  if (!/^\d{1,12}$/.test(timestamp)) throw invalid("webhook-timestamp", "required, seconds since the epoch");
  if (!signature || signature.length > MAX_SIGNATURE_HEADER_LENGTH) throw invalid("webhook-signature", "required, v1,<base64>");
  return { id, timestamp, signature };
}

export function signingKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}

/** The v1 signature of a body: what a sender puts in webhook-signature (also used by tests and the README snippet). */
export function signStandardWebhook(secret: string, id: string, timestamp: number | string, body: Uint8Array): string {
  const mac = createHmac("sha256", signingKey(secret)).update(`${id}.${timestamp}.`).update(body).digest("base64");
  return `v1,${mac}`;
}

/** Returns the webhook id when one of the v1 signatures matches and the timestamp is fresh; 400 otherwise. */
export function verifyStandardWebhook(input: { secret: string; headers: Headers; body: Uint8Array; now?: Date }): string {
  const { id, timestamp, signature } = signedHeaders(input.headers);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const age = nowSeconds - Number(timestamp);
  if (age > SIGNATURE_TOLERANCE_SECONDS) throw invalid("webhook-timestamp", "too old (more than 5 minutes)");
  if (age < -SIGNATURE_TOLERANCE_SECONDS) throw invalid("webhook-timestamp", "too far in the future (more than 5 minutes)");

  const expected = createHmac("sha256", signingKey(input.secret)).update(`${id}.${timestamp}.`).update(input.body).digest();
  let matched = false;
  for (const candidate of signature.split(" ").slice(0, MAX_SIGNATURES)) {
    const comma = candidate.indexOf(",");
    if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
    const given = Buffer.from(candidate.slice(comma + 1), "base64");
    // Every candidate is compared (no early exit), each in constant time.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) throw invalid("webhook-signature", "no v1 signature matches this body with the configured secret");
  return id;
}
