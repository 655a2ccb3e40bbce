import { ApiError } from "@/lib/errors";
import { withoutKey } from "@/lib/http/with-api-key";

// Any other path under /api/v1, and /api/v1 itself (optional catch-all) – 404 in the API's error shape
const notFound = withoutKey(async (req) => {
  throw new ApiError("not_found", `No route ${req.method} ${new URL(req.url).pathname}`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
