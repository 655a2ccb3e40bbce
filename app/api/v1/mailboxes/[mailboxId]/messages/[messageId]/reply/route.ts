import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { acceptedResponse } from "@/lib/outbound/accepted-response";
import { replyToMessage } from "@/lib/outbound/reply-message";

// POST /api/v1/mailboxes/{mailboxId}/messages/{messageId}/reply – reply in the thread (honours Idempotency-Key)
export const POST = withApiKey(ROUTES.replyToMessage, async (ctx) =>
  acceptedResponse(
    await replyToMessage({ tenantId: ctx.tenant.id, mailbox: ctx.mailbox, messageId: ctx.params.messageId, body: ctx.body, idempotency: ctx.idempotency }),
  ),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.replyToMessage.path);
