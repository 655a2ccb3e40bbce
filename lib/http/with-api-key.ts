// The one way in for API keys: withApiKey(handler, { role }) gives the handler a
// typed context and turns every thrown error into the SPEC error shape.
import "server-only";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/errors";
import { newRequestId } from "@/lib/http/request-id";
import type { RouteRole } from "@/lib/http/route-table";
import { isUuid } from "@/lib/ids";
import {
  checkKeyFormat,
  checkKeyRateLimit,
  checkKeyState,
  checkRole,
  lookupKey,
  readBearer,
  toPrincipal,
  touchLastUsed,
  type KeyRecord,
  type Principal,
} from "@/lib/keys/authenticate-key";

export type TenantRef = { id: string; name: string; region: string };
export type MailboxRef = { id: string; tenantId: string; address: string; displayName: string | null; status: "active" | "suspended" | "deleted" };

export type ApiContext<P> = {
  tenant: TenantRef;
  /** The mailbox of the route's {mailboxId}, or the key's own mailbox on tenant-less routes. */
  mailbox: MailboxRef | null;
  principal: Principal;
  requestId: string;
  params: P;
};

type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (req: Request, ctx: ApiContext<P>) => Promise<Response>;

/** Step 5: the route's {mailboxId} must be the key's own mailbox, or a mailbox of the key's tenant. */
export async function resolveMailboxScope(key: KeyRecord, mailboxId: string | undefined): Promise<MailboxRef | null> {
  const own: MailboxRef | null =
    key.kind === "mailbox" && key.mailboxId
      ? {
          id: key.mailboxId,
          tenantId: key.tenantId,
          address: key.mailboxAddress!,
          displayName: key.mailboxDisplayName,
          status: key.mailboxStatus!,
        }
      : null;
  if (own?.status === "suspended") {
    throw new ApiError("mailbox_suspended", "This mailbox is suspended; its keys are refused until it is resumed");
  }
  if (mailboxId === undefined) return own;
  if (!isUuid(mailboxId)) throw new ApiError("not_found", "Mailbox not found");
  if (key.kind === "mailbox") {
    if (mailboxId !== key.mailboxId) throw new ApiError("not_found", "Mailbox not found");
    return own;
  }
  const mailbox = await getDb().mailbox.findFirst({
    where: { id: mailboxId, tenantId: key.tenantId, status: { not: "deleted" } },
    select: { id: true, tenantId: true, address: true, displayName: true, status: true },
  });
  if (!mailbox) throw new ApiError("not_found", "Mailbox not found");
  return mailbox;
}

export async function authenticate<P>(
  req: Request,
  role: RouteRole,
  params: P,
): Promise<{ ctx: Omit<ApiContext<P>, "requestId">; headers: Record<string, string>; key: KeyRecord }> {
  const secret = readBearer(req.headers.get("authorization"));
  checkKeyFormat(secret);
  const key = await lookupKey(secret);
  checkKeyState(key);
  const mailboxId = (params as { mailboxId?: string } | undefined)?.mailboxId;
  const mailbox = await resolveMailboxScope(key, mailboxId);
  checkRole(key, role);
  const headers = checkKeyRateLimit(key);
  void touchLastUsed(key);
  return {
    key,
    headers,
    ctx: {
      tenant: { id: key.tenantId, name: key.tenantName, region: key.tenantRegion },
      mailbox,
      principal: toPrincipal(key),
      params,
    },
  };
}

export function withApiKey<P = Record<string, never>>(handler: Handler<P>, options: { role: RouteRole }) {
  return async (req: Request, routeContext: RouteContext<P>): Promise<Response> => {
    const requestId = newRequestId();
    let limitHeaders: Record<string, string> = {};
    try {
      const params = ((await routeContext?.params) ?? {}) as P;
      const { ctx, headers } = await authenticate(req, options.role, params);
      limitHeaders = headers;
      const res = await handler(req, { ...ctx, requestId });
      return withHeaders(res, { ...limitHeaders, "x-request-id": requestId });
    } catch (err) {
      return withHeaders(errorResponse(err, requestId), limitHeaders);
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
