import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { toWhoami } from "@/lib/keys/whoami";

// GET /api/v1/whoami – the calling key, its tenant and mailbox
export const GET = withApiKey(async (_req, ctx) => Response.json(toWhoami(ctx)), { role: "any" });

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
