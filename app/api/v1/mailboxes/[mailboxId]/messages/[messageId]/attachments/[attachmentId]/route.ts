import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { attachmentResponse, getAttachment } from "@/lib/messages/get-attachment";

// GET /api/v1/mailboxes/{mailboxId}/messages/{messageId}/attachments/{attachmentId} – the attachment's bytes
export const GET = withApiKey(ROUTES.getAttachment, async (ctx) =>
  attachmentResponse(await getAttachment({ ...ctx.scope, messageId: ctx.params.messageId, id: ctx.params.attachmentId })),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.getAttachment.path);
