import { readCappedText } from "@/lib/request-body";
import { withoutKey } from "@/lib/http/with-api-key";
import { applyResendEvent } from "@/lib/outbound/apply-delivery-event";
import { verifyResendWebhook } from "@/lib/outbound/resend-webhook";

// Delivery events carry metadata only; a megabyte is far more than any of them needs.
const MAX_EVENT_BYTES = 1_000_000;

// POST /api/webhooks/resend – Resend delivery events (svix-signed); 200 for duplicates and ignored events
export const POST = withoutKey(async (req) => {
  const raw = await readCappedText(req, MAX_EVENT_BYTES);
  const { webhookId, event } = verifyResendWebhook(raw, req.headers);
  const outcome = await applyResendEvent({ webhookId, event });
  return Response.json({ received: true, ...outcome });
});
