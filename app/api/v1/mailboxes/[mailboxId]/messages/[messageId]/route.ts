import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { readJson } from "@/lib/http/json-body";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { getMessageDto } from "@/lib/messages/get-message";
import { updateMessage } from "@/lib/messages/update-message";
import { deleteMessage } from "@/lib/messages/delete-message";
import { updateMessageBody } from "@/lib/messages/schemas";

type Params = { mailboxId: string; messageId: string };

// GET /api/v1/mailboxes/{mailboxId}/messages/{messageId} – one message with text, html and headers
export const GET = withApiKey<Params>(
  async (_req, ctx) => Response.json(await getMessageDto({ ...mailboxScope(ctx), id: ctx.params.messageId })),
  { role: "read" },
);

// PATCH /api/v1/mailboxes/{mailboxId}/messages/{messageId} – mark read/unread, set labels
export const PATCH = withApiKey<Params>(
  async (req, ctx) => {
    const changes = await readJson(req, updateMessageBody);
    return Response.json(await updateMessage({ ...mailboxScope(ctx), id: ctx.params.messageId, changes }));
  },
  { role: "read_write" },
);

// DELETE /api/v1/mailboxes/{mailboxId}/messages/{messageId} – delete a message and its attachments
export const DELETE = withApiKey<Params>(
  async (_req, ctx) => Response.json(await deleteMessage({ ...mailboxScope(ctx), id: ctx.params.messageId })),
  { role: "read_write" },
);

export const { POST, PUT, OPTIONS } = methodsOtherThan("GET", "PATCH", "DELETE");
