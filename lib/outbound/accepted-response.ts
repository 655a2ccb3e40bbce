import type { AcceptedResponse } from "@/lib/outbound/accept-outbound";

/** 202 with the queued message, or the first response again for a replayed Idempotency-Key. */
export function acceptedResponse(result: AcceptedResponse): Response {
  return Response.json(result.body, {
    status: result.status,
    headers: result.replayed ? { "Idempotent-Replayed": "true" } : {},
  });
}
