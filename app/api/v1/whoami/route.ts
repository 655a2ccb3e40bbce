import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { toWhoami } from "@/lib/keys/whoami";

// GET /api/v1/whoami – the calling key, its tenant and mailbox
export const GET = withApiKey(ROUTES.whoami, async (ctx) => toWhoami(ctx));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.whoami.path);
