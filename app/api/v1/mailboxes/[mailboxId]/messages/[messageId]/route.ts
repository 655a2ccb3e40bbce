import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { deleteMessage } from "@/lib/messages/delete-message";
import { getMessageDto } from "@/lib/messages/get-message";
import { updateMessage } from "@/lib/messages/update-message";

// GET /api/v1/mailboxes/{mailboxId}/messages/{messageId} – one message with text, html and headers
export const GET = withApiKey(ROUTES.getMessage, async (ctx) => getMessageDto({ ...ctx.scope, id: ctx.params.messageId }));

// PATCH /api/v1/mailboxes/{mailboxId}/messages/{messageId} – mark read/unread, set labels
export const PATCH = withApiKey(ROUTES.updateMessage, async (ctx) => updateMessage({ ...ctx.scope, id: ctx.params.messageId, changes: ctx.body }));

// DELETE /api/v1/mailboxes/{mailboxId}/messages/{messageId} – delete a message and its attachments
export const DELETE = withApiKey(ROUTES.deleteMessage, async (ctx) => deleteMessage({ ...ctx.scope, id: ctx.params.messageId }));

export const { POST, PUT, OPTIONS } = otherMethods(ROUTES.getMessage.path);
