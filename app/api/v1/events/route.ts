import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { eventsResponse } from "@/lib/events/events-response";

// GET /api/v1/events – the tenant's events as Server-Sent Events (or a JSON page with Accept: application/json)
export const GET = withApiKey(ROUTES.tenantEvents, async (ctx) =>
  eventsResponse(ctx.req, ctx.query, { tenantId: ctx.tenant.id, mailboxId: null, keyId: ctx.principal.keyId }),
);

export const { PUT, POST, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.tenantEvents.path);
