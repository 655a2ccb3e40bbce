import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { getMailboxUsage } from "@/lib/mailboxes/get-mailbox-usage";

type Params = { mailboxId: string };

// GET /api/v1/mailboxes/{mailboxId}/usage – limits, sends this minute and day, storage
export const GET = withApiKey<Params>(async (_req, ctx) => Response.json(await getMailboxUsage(mailboxScope(ctx))), { role: "read" });

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
