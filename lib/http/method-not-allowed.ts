// Route files export this for the methods they do not serve, so a wrong method gets
// 405 in the API's error shape (Next's own 405 has no body). A proxy could do it for
// every route, but it costs ~3 ms per request on every call (measured).
import { ApiError } from "@/lib/errors";
import { methodsOf } from "@/lib/http/route-table";
import { withoutKey } from "@/lib/http/with-api-key";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Handler = (req: Request) => Promise<Response>;

/**
 * `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("/api/v1/mailboxes");`
 * Every method the route table does not declare for the path answers 405 with Allow;
 * OPTIONS answers 204 with Allow (and a request id, like every response).
 */
export function otherMethods(pathTemplate: string): Record<Method | "OPTIONS", Handler> {
  const allowed = methodsOf(pathTemplate);
  if (allowed.length === 0) throw new Error(`No route in the route table has the path ${pathTemplate}`);
  const handler = withoutKey(async (req) => {
    throw new ApiError(
      "method_not_allowed",
      `${req.method} is not allowed here; use ${allowed.join(", ")}`,
      {},
      { Allow: allowed.join(", ") },
    );
  });
  const options = withoutKey(async () => new Response(null, { status: 204, headers: { Allow: [...allowed, "OPTIONS"].join(", ") } }));
  return { ...(Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<Method, Handler>), OPTIONS: options };
}
