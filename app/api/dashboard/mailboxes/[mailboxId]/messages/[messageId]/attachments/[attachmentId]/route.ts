import { withSession } from "@/lib/http/with-session";
import { attachmentResponse, getAttachment } from "@/lib/messages/get-attachment";

type Params = { mailboxId: string; messageId: string; attachmentId: string };

// GET /api/dashboard/mailboxes/{mailboxId}/messages/{messageId}/attachments/{attachmentId} – download for a member
export const GET = withSession<Params>(async (_req, ctx) =>
  attachmentResponse(
    await getAttachment({
      tenantId: ctx.tenant.id,
      mailboxId: ctx.params.mailboxId,
      messageId: ctx.params.messageId,
      id: ctx.params.attachmentId,
    }),
  ),
);
