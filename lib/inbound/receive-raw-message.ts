// POST /api/webhooks/inbound: a raw RFC 5322 message from any MTA, mail worker or
// relay, signed per Standard Webhooks with SAIRAPH_INBOUND_SECRET (SPEC §5). The body
// is read as bytes with the 25 MB cap enforced while it streams, the signature is
// checked over those exact bytes, a webhook id seen before answers at once, and the
// message is parsed (MIME caps: 413) and handed to the one ingest path.
import "server-only";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { readCappedBytes } from "@/lib/http/json-body";
import { ingestMessage } from "@/lib/inbound/ingest-message";
import { receiptExists } from "@/lib/inbound/webhook-receipts";
import { MimeLimitError, parseRawEmail } from "@/lib/inbound/parse-email";
import { MAX_INBOUND_RECIPIENTS } from "@/lib/inbound/route-recipients";
import { verifyStandardWebhook } from "@/lib/inbound/verify-inbound-webhook";
import { MAX_MESSAGE_BYTES } from "@/lib/outbound/schemas";

const ACCEPTED_TYPES = ["message/rfc822", "application/octet-stream", "text/plain"];

/** What the sender learns: never whether an address exists. */
export type RawDeliveryAnswer = { received: true; duplicate: boolean };

function checkContentType(headers: Headers): void {
  const type = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type && !ACCEPTED_TYPES.includes(type)) {
    throw new ApiError("unsupported_media_type", "Send the raw message with Content-Type: message/rfc822");
  }
}

/** The repeatable ?recipient= parameters (the envelope), length-checked. */
function envelopeRecipients(url: string): string[] {
  const values = new URL(url).searchParams.getAll("recipient");
  if (values.length > MAX_INBOUND_RECIPIENTS || values.some((v) => v.length > 320)) {
    throw new ApiError("validation_error", "Too many or too long recipient parameters", {
      details: [{ path: "recipient", message: `at most ${MAX_INBOUND_RECIPIENTS} addresses of at most 320 characters` }],
    });
  }
  return values;
}

export async function receiveRawMessage(req: Request): Promise<RawDeliveryAnswer> {
  const secret = getEnv().SAIRAPH_INBOUND_SECRET;
  if (!secret) throw new ApiError("service_unavailable", "Raw inbound mail is not configured (SAIRAPH_INBOUND_SECRET)");
  checkContentType(req.headers);
  const recipients = envelopeRecipients(req.url);
  const body = await readCappedBytes(req, MAX_MESSAGE_BYTES);
  const webhookId = verifyStandardWebhook({ secret, headers: req.headers, body });
  if (await receiptExists("inbound", webhookId)) return { received: true, duplicate: true };

  let content;
  try {
    content = await parseRawEmail(body);
  } catch (err) {
    if (err instanceof MimeLimitError) throw new ApiError("payload_too_large", err.message);
    throw err;
  }
  const outcome = await ingestMessage({
    receipt: { source: "inbound", webhookId },
    content,
    envelopeRecipients: recipients,
    countUnknown: true,
  });
  return { received: true, duplicate: outcome.duplicate };
}
