import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { keyActor } from "@/lib/keys/key-actor";
import { approveHeldMessage } from "@/lib/outbound/approve-message";

// POST /api/v1/mailboxes/{mailboxId}/messages/{messageId}/approve – send a message held for approval
export const POST = withApiKey(ROUTES.approveMessage, async (ctx) =>
  approveHeldMessage({ ...ctx.scope, messageId: ctx.params.messageId, actor: keyActor(ctx.principal) }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.approveMessage.path);
