import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { getMailboxUsage } from "@/lib/mailboxes/get-mailbox-usage";

// GET /api/v1/mailboxes/{mailboxId}/usage – limits, sends this minute and day, storage
export const GET = withApiKey(ROUTES.getUsage, async (ctx) => getMailboxUsage(ctx.scope));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.getUsage.path);
