import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { listMessages } from "@/lib/messages/list-messages";
import { acceptedResponse } from "@/lib/outbound/accepted-response";
import { sendMessage } from "@/lib/outbound/send-message";

// GET /api/v1/mailboxes/{mailboxId}/messages – list and search messages, newest first
export const GET = withApiKey(ROUTES.listMessages, async (ctx) => listMessages({ ...ctx.scope, ...ctx.query }));

// POST /api/v1/mailboxes/{mailboxId}/messages – send (202 queued; honours Idempotency-Key)
export const POST = withApiKey(ROUTES.sendMessage, async (ctx) =>
  acceptedResponse(await sendMessage({ tenantId: ctx.tenant.id, mailbox: ctx.mailbox, body: ctx.body, idempotency: ctx.idempotency })),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listMessages.path);
