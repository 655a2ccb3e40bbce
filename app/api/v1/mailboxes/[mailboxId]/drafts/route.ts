import { createDraft, listDrafts } from "@/lib/drafts/manage-drafts";
import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";

// GET /api/v1/mailboxes/{mailboxId}/drafts – the mailbox's drafts, newest first
export const GET = withApiKey(ROUTES.listDrafts, async (ctx) => listDrafts({ ...ctx.scope, ...ctx.query }));

// POST /api/v1/mailboxes/{mailboxId}/drafts – create a draft (201)
export const POST = withApiKey(ROUTES.createDraft, async (ctx) => createDraft({ ...ctx.scope, body: ctx.body }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listDrafts.path);
