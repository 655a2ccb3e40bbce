import { otherMethods } from "@/lib/http/method-not-allowed";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { ROUTES } from "@/lib/http/route-table";
import { withoutKey } from "@/lib/http/with-api-key";

// GET /api/v1/openapi.json – this API as OpenAPI 3.1, generated from the route table's zod schemas
export const GET = withoutKey(async () =>
  Response.json(buildOpenApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.openapi.path);
