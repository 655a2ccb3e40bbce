import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { acceptedResponse } from "@/lib/outbound/accepted-response";
import { forwardMessage } from "@/lib/outbound/forward-message";

// POST /api/v1/mailboxes/{mailboxId}/messages/{messageId}/forward – forward with its attachments (honours Idempotency-Key)
export const POST = withApiKey(ROUTES.forwardMessage, async (ctx) =>
  acceptedResponse(
    await forwardMessage({ tenantId: ctx.tenant.id, mailbox: ctx.mailbox, messageId: ctx.params.messageId, body: ctx.body, idempotency: ctx.idempotency }),
  ),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.forwardMessage.path);
