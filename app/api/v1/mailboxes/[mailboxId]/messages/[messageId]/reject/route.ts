import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { keyActor } from "@/lib/keys/key-actor";
import { rejectHeldMessage } from "@/lib/outbound/approve-message";

// POST /api/v1/mailboxes/{mailboxId}/messages/{messageId}/reject – never send a message held for approval
export const POST = withApiKey(ROUTES.rejectMessage, async (ctx) =>
  rejectHeldMessage({ ...ctx.scope, messageId: ctx.params.messageId, reason: ctx.body.reason, actor: keyActor(ctx.principal) }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.rejectMessage.path);
