import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { attachmentResponse, getAttachment } from "@/lib/messages/get-attachment";

type Params = { mailboxId: string; messageId: string; attachmentId: string };

// GET /api/v1/mailboxes/{mailboxId}/messages/{messageId}/attachments/{attachmentId} – the attachment's bytes
export const GET = withApiKey<Params>(
  async (_req, ctx) =>
    attachmentResponse(await getAttachment({ ...mailboxScope(ctx), messageId: ctx.params.messageId, id: ctx.params.attachmentId })),
  { role: "read" },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
