// GET …/events (SPEC §12): Server-Sent Events, or with Accept: application/json a
// JSON page of the events after ?after=. A stream resumes after Last-Event-ID (or
// ?after=); without either it starts with the next event.
import "server-only";
import { getPool } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { latestEventId, readEvents } from "@/lib/events/read-events";
import { openEventStream } from "@/lib/events/event-stream";
import type { z } from "zod";
import { eventIdString, type eventsQuery } from "@/lib/events/event-schemas";

function wantsJson(req: Request): boolean {
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/event-stream");
}

/** Key revoked or expired, or mailbox suspended or deleted since the stream opened: the stream ends. */
async function keyStillValid(keyId: string): Promise<boolean> {
  const { rows } = await getPool().query<{ ok: boolean }>(
    `SELECT (k."revokedAt" IS NULL AND (k."expiresAt" IS NULL OR k."expiresAt" > now() AT TIME ZONE 'UTC')
             AND (k."mailboxId" IS NULL OR m.status = 'active')) AS ok
     FROM "ApiKey" k LEFT JOIN "Mailbox" m ON m.id = k."mailboxId" AND m."tenantId" = k."tenantId" WHERE k.id = $1`,
    [keyId],
  );
  return rows[0]?.ok === true;
}

export async function eventsResponse(
  req: Request,
  query: z.infer<typeof eventsQuery>,
  scope: { tenantId: string; mailboxId: string | null; keyId: string },
): Promise<Response> {
  if (wantsJson(req)) {
    const after = BigInt(query.after ?? "0");
    const data = await readEvents({ tenantId: scope.tenantId, mailboxId: scope.mailboxId, after, limit: query.limit + 1 });
    const page = data.slice(0, query.limit);
    return Response.json({ data: page, nextAfter: page.length ? page[page.length - 1].id : after.toString(), hasMore: data.length > query.limit });
  }
  const lastEventId = req.headers.get("last-event-id");
  let after: bigint;
  if (lastEventId !== null && lastEventId.trim() !== "") {
    const parsed = eventIdString.safeParse(lastEventId.trim());
    if (!parsed.success) {
      throw new ApiError("validation_error", "Last-Event-ID must be an event id", { details: [{ path: "Last-Event-ID", message: "must be digits" }] });
    }
    after = BigInt(parsed.data);
  } else if (query.after !== undefined) {
    after = BigInt(query.after);
  } else {
    after = await latestEventId(scope.tenantId);
  }
  const stream = await openEventStream({
    tenantId: scope.tenantId,
    mailboxId: scope.mailboxId,
    after,
    signal: req.signal,
    stillAllowed: () => keyStillValid(scope.keyId),
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
