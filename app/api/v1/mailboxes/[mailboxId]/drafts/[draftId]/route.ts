import { deleteDraft, getDraft, updateDraft } from "@/lib/drafts/manage-drafts";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";

// GET /api/v1/mailboxes/{mailboxId}/drafts/{draftId} – one draft with text, html and headers
export const GET = withApiKey(ROUTES.getDraft, async (ctx) => getDraft({ ...ctx.scope, id: ctx.params.draftId }));

// PATCH /api/v1/mailboxes/{mailboxId}/drafts/{draftId} – change fields (null clears one)
export const PATCH = withApiKey(ROUTES.updateDraft, async (ctx) => updateDraft({ ...ctx.scope, id: ctx.params.draftId, changes: ctx.body }));

// DELETE /api/v1/mailboxes/{mailboxId}/drafts/{draftId} – delete a draft and its attachments
export const DELETE = withApiKey(ROUTES.deleteDraft, async (ctx) => deleteDraft({ ...ctx.scope, id: ctx.params.draftId }));

export const { POST, PUT, OPTIONS } = otherMethods(ROUTES.getDraft.path);
