// The OpenAPI 3.1 document, generated from API_ROUTES and the same zod schemas that
// validate requests and shape responses (z.toJSONSchema emits JSON Schema 2020-12,
// which is OpenAPI 3.1's schema dialect).
import { z } from "zod";
import { API_ROUTES, type RouteSpec } from "@/lib/http/route-table";
import { ERROR_STATUS } from "@/lib/http/errors";

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  void _dialect;
  return rest;
}

const ROLE_TEXT: Record<RouteSpec["role"], string> = {
  none: "No key needed.",
  any: "Any valid key.",
  read: "A mailbox key of this mailbox with role read, read_write or management, or a management key (sm_mgmt_) of its tenant.",
  read_write: "A mailbox key of this mailbox with role read_write or management, or a management key (sm_mgmt_) of its tenant.",
  management: "A mailbox key of this mailbox with role management, or a management key (sm_mgmt_) of its tenant.",
  tenant: "A management key (sm_mgmt_).",
};

const errorSchema: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "requestId"],
      properties: {
        code: { type: "string", enum: Object.keys(ERROR_STATUS) },
        message: { type: "string" },
        requestId: { type: "string" },
        details: {
          type: "array",
          items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } }, required: ["path", "message"] },
        },
      },
    },
  },
};

function errorResponses(route: RouteSpec): Record<string, unknown> {
  const codes = ["400", "404", "405", "429"];
  if (route.role !== "none") codes.push("401", "403");
  if (route.body) codes.push("413");
  if (route.idempotent) codes.push("409", "422");
  for (const code of route.moreErrors ?? []) if (!codes.includes(code)) codes.push(code);
  const out: Record<string, unknown> = {};
  for (const code of codes.sort()) out[code] = { $ref: "#/components/responses/Error" };
  return out;
}

function pathParameters(route: RouteSpec) {
  return [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    // Ids are UUIDs; {address} of a suppression is a URL-encoded email address.
    schema: m[1] === "address" ? { type: "string", format: "email", maxLength: 254 } : { type: "string", format: "uuid" },
  }));
}

const idempotencyKeyHeader = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "1-255 printable ASCII characters, unique per tenant for 24 hours: the same key with the same body returns the first response; another body is 422 idempotency_conflict; while the first request runs, 409 idempotency_in_progress.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

function queryParameters(route: RouteSpec) {
  if (!route.query) return [];
  const schema = toSchema(route.query, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema & { description?: string };
    return {
      name,
      in: "query",
      required: schema.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function successResponse(route: RouteSpec) {
  const description = route.summary;
  if (route.response === "binary") {
    return { description, content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } };
  }
  if (route.response === "openapi") {
    return { description, content: { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1 document" } } } };
  }
  if (!route.response) return { description };
  return { description, content: { "application/json": { schema: toSchema(route.response, "output") } } };
}

function operation(route: RouteSpec) {
  const parameters = [...pathParameters(route), ...queryParameters(route), ...(route.idempotent ? [idempotencyKeyHeader] : [])];
  return {
    operationId: operationId(route),
    summary: route.summary,
    description: `Role: ${ROLE_TEXT[route.role]}`,
    ...(route.tag ? { tags: [route.tag] } : {}),
    security: route.role === "none" ? [] : [{ bearer: [] }],
    "x-required-role": route.role,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: !route.optionalBody, content: { "application/json": { schema: toSchema(route.body, "input") } } } }
      : {}),
    responses: { [String(route.status ?? 200)]: successResponse(route), ...errorResponses(route) },
  };
}

function operationId(route: RouteSpec): string {
  const words = route.path
    .replace(/^\/api\/v1\//, "")
    .replace(/\.json$/, "")
    .split("/")
    .map((part) => (part.startsWith("{") ? `by-${part.slice(1, -1)}` : part))
    .join("-");
  return `${route.method.toLowerCase()}-${words}`.replace(/-([a-z])/gi, (_m, c: string) => c.toUpperCase());
}

export function buildOpenApiDocument(options: { serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Sairaph Mail API",
      version: "1.0.0",
      description: "Mailboxes, messages, threads and sending for AI agents. Errors always have the shape { error: { code, message, requestId } }.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key: sm_live_… (one mailbox) or sm_mgmt_… (a tenant)" } },
      schemas: { Error: errorSchema },
      responses: { Error: { description: "An error in the API's error shape", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } },
    },
  };
}
