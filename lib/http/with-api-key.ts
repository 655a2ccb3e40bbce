// The one way in for API keys. withApiKey(route, handler) reads the route's entry in
// the route table and runs the steps in order: authenticate the key and resolve the
// mailbox (lib/keys/authenticate-key.ts), check the role, read Idempotency-Key where
// the route honours it, validate the query and the body; then it hands the handler a
// typed context and turns every thrown error into the SPEC error shape.
import "server-only";
import type { z } from "zod";
import { errorResponse } from "@/lib/http/errors";
import { readIdempotencyKey } from "@/lib/http/idempotency";
import { parseQuery, readJson } from "@/lib/http/json-body";
import { newRequestId } from "@/lib/http/request-id";
import { LARGE_BODY_BYTES, largeBodyGate } from "@/lib/http/large-body-slots";
import { paceLargeBody } from "@/lib/http/large-body-pacer";
import { JSON_BODY_LIMIT, type RouteSpec } from "@/lib/http/route-table";
import { idempotencyRequestHash } from "@/lib/idempotency/idempotency-records";
import { ApiError } from "@/lib/errors";
import { annotateRequest } from "@/lib/observability/request-context";
import { countKeyAuthentication } from "@/lib/observability/metrics";
import { authenticateKey, type MailboxRef, type Principal, type TenantRef } from "@/lib/keys/authenticate-key";

type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** An Idempotency-Key with the hash of the request it came with. */
export type IdempotencyClaim = { key: string; requestHash: string };

export type ApiContext<R extends RouteSpec> = {
  req: Request;
  requestId: string;
  tenant: TenantRef;
  principal: Principal;
  params: { [K in ParamNames<R["path"]>]: string };
  query: Infer<R["query"]>;
  body: Infer<R["body"]>;
  /** Present only on routes that honour Idempotency-Key, and only when the header was sent. */
  idempotency: IdempotencyClaim | null;
} & (R["path"] extends `${string}{mailboxId}${string}`
  ? {
      /** The route's mailbox, resolved within the key's tenant and scope. */
      mailbox: MailboxRef;
      /** `{ tenantId, mailboxId }` for lib calls. */
      scope: { tenantId: string; mailboxId: string };
    }
  : {
      /** The key's own mailbox (null for a management key). */
      mailbox: MailboxRef | null;
    });

type RouteContext = { params: Promise<Record<string, string>> };

/** A handler returns a Response, or a JSON body sent with the route's success status. */
export type ApiHandler<R extends RouteSpec> = (ctx: ApiContext<R>) => Promise<Response | object>;

export function withApiKey<const R extends RouteSpec>(route: R, handler: ApiHandler<R>) {
  return async (req: Request, routeContext: RouteContext): Promise<Response> => {
    const requestId = newRequestId();
    let limitHeaders: Record<string, string> = {};
    let gate: ReturnType<typeof largeBodyGate> | null = null;
    try {
      annotateRequest({ route: route.path });
      const params = (await routeContext?.params) ?? {};
      const auth = await authenticateKey({ authorization: req.headers.get("authorization"), role: route.role, mailboxId: params.mailboxId }).catch(
        (err: unknown) => {
          countKeyAuthentication(err instanceof ApiError ? err.code : "error");
          throw err;
        },
      );
      countKeyAuthentication("ok");
      annotateRequest({ tenantId: auth.tenant.id });
      limitHeaders = auth.headers;
      const key = route.idempotent ? readIdempotencyKey(req) : null;
      const query = route.query ? parseQuery(req, route.query) : undefined;
      // A large body waits for its mailbox's large-body slot before it is read (lib/http/large-body-slots.ts).
      gate = largeBodyGate(auth.mailbox?.id ?? params.mailboxId ?? `tenant:${auth.tenant.id}`);
      const large = { bytes: LARGE_BODY_BYTES, take: gate.take, pace: paceLargeBody };
      const body = route.body
        ? await readJson(req, route.body, route.maxBodyBytes ?? JSON_BODY_LIMIT, { optional: route.optionalBody === true, large })
        : undefined;
      const ctx = {
        req,
        requestId,
        tenant: auth.tenant,
        principal: auth.principal,
        mailbox: auth.mailbox,
        scope: auth.mailbox ? { tenantId: auth.tenant.id, mailboxId: auth.mailbox.id } : undefined,
        params,
        query,
        body,
        idempotency: key ? { key, requestHash: idempotencyRequestHash(req.method, new URL(req.url).pathname, body) } : null,
      } as unknown as ApiContext<R>;
      const result = await handler(ctx);
      const res = result instanceof Response ? result : Response.json(result, { status: route.status ?? 200 });
      return withHeaders(res, { ...limitHeaders, "x-request-id": requestId });
    } catch (err) {
      return withHeaders(errorResponse(err, requestId), limitHeaders);
    } finally {
      gate?.release();
    }
  };
}

/** For routes without a key (OpenAPI, 404/405 answers): the same error shape and request id. */
export function withoutKey(handler: (req: Request, requestId: string) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    const requestId = newRequestId();
    try {
      return withHeaders(await handler(req, requestId), { "x-request-id": requestId });
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) {
    if (!res.headers.has(name)) res.headers.set(name, value);
  }
  return res;
}
