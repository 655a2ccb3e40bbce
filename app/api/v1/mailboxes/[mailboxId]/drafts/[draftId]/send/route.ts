import { sendDraft } from "@/lib/drafts/send-draft";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { acceptedResponse } from "@/lib/outbound/accepted-response";

// POST /api/v1/mailboxes/{mailboxId}/drafts/{draftId}/send – send a draft (202 queued; honours Idempotency-Key)
export const POST = withApiKey(ROUTES.sendDraft, async (ctx) =>
  acceptedResponse(await sendDraft({ tenantId: ctx.tenant.id, mailbox: ctx.mailbox, draftId: ctx.params.draftId, idempotency: ctx.idempotency })),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.sendDraft.path);
