import { readCappedText } from "@/lib/request-body";
import { withoutKey } from "@/lib/http/with-api-key";
import { handleResendEvent } from "@/lib/inbound/fetch-resend-received";
import { verifyResendWebhook } from "@/lib/outbound/resend-webhook";

// Resend's events carry metadata only; a megabyte is far more than any of them needs.
const MAX_EVENT_BYTES = 1_000_000;

// POST /api/webhooks/resend – Resend events (svix-signed): email.received queues the fetch, delivery events update messages; 200 for duplicates and ignored events
export const POST = withoutKey(async (req) => {
  const raw = await readCappedText(req, MAX_EVENT_BYTES);
  const { webhookId, event } = verifyResendWebhook(raw, req.headers);
  return Response.json({ received: true, ...(await handleResendEvent({ webhookId, event })) });
});
