import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { eventsResponse } from "@/lib/events/events-response";

// GET /api/v1/mailboxes/{mailboxId}/events – the mailbox's events as Server-Sent Events (or a JSON page)
export const GET = withApiKey(ROUTES.mailboxEvents, async (ctx) => eventsResponse(ctx.req, ctx.query, { ...ctx.scope, keyId: ctx.principal.keyId }));

export const { PUT, POST, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.mailboxEvents.path);
