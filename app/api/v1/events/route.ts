import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { eventsResponse } from "@/lib/events/events-response";

// GET /api/v1/events – the tenant's events as Server-Sent Events (or a JSON page with Accept: application/json)
export const GET = withApiKey(
  async (req, ctx) => eventsResponse(req, { tenantId: ctx.tenant.id, mailboxId: null, keyId: ctx.principal.keyId }),
  { role: "tenant" },
);

export const { PUT, POST, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
