import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { listMessages } from "@/lib/messages/list-messages";
import { waitForMessages } from "@/lib/events/wait-for-message";
import { acceptedResponse } from "@/lib/outbound/accepted-response";
import { sendMessage } from "@/lib/outbound/send-message";

// GET /api/v1/mailboxes/{mailboxId}/messages – list and search messages, newest first; ?wait= holds until one matches
export const GET = withApiKey(ROUTES.listMessages, async (ctx) => {
  const { wait, ...query } = ctx.query;
  const input = { ...ctx.scope, ...query };
  return wait ? waitForMessages({ ...input, waitSeconds: wait, signal: ctx.req.signal }) : listMessages(input);
});

// POST /api/v1/mailboxes/{mailboxId}/messages – send (202 queued; honours Idempotency-Key)
export const POST = withApiKey(ROUTES.sendMessage, async (ctx) =>
  acceptedResponse(await sendMessage({ tenantId: ctx.tenant.id, mailbox: ctx.mailbox, body: ctx.body, idempotency: ctx.idempotency })),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listMessages.path);
