// Per-mailbox allow and block lists (SPEC §13). Entries are stored like suppressions:
// a blind HMAC under the mailbox's keys (for matching) and ciphertext (for listing),
// so no list leaks across mailboxes and the database never holds an entry in clear.
// Send side: a blocked recipient, or any recipient not on a non-empty allow list,
// refuses the whole send with 422 recipient_not_allowed naming them.
import "server-only";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { domainOf, normalizeAddress } from "@/lib/outbound/addresses";
import { decodeCursor, toPage } from "@/lib/pagination";
import { LIST_DIRECTIONS, LIST_KINDS, listEntryValue, type ListDirection, type ListEntryDto, type ListKind } from "@/lib/guardrails/schemas";

export type ListRef = { tenantId: string; mailboxId: string; direction: ListDirection; kind: ListKind };

/** The {direction} and {kind} path segments; anything else is 404 (no such list). */
export function parseListPath(params: { direction: string; kind: string }): { direction: ListDirection; kind: ListKind } {
  const direction = LIST_DIRECTIONS.find((d) => d === params.direction);
  const kind = LIST_KINDS.find((k) => k === params.kind);
  if (!direction || !kind) throw new ApiError("not_found", "No such list: direction is send or receive, kind is allow or block");
  return { direction, kind };
}

/** The {entry} path segment, URL-encoded by the caller; decoded once if the router has not. */
export function decodeEntryParam(raw: string): string {
  let value = raw;
  if (/%[0-9A-Fa-f]{2}/.test(value)) {
    try {
      value = decodeURIComponent(value);
    } catch {
      // not valid percent-encoding: validated as is below
    }
  }
  return listEntryValue.parse(value);
}

export function listHash(cipher: MailboxCipher, entry: string): string {
  return cipher.blindToken(`list:${entry.trim().toLowerCase()}`);
}

/** POST …/lists/{direction}/{kind}: 201 with the entry, 200 when it was already listed. */
export async function addListEntry(input: ListRef & { entry: string }): Promise<{ created: boolean; entry: ListEntryDto }> {
  if (input.direction === "receive" && input.kind === "allow") {
    // A receive-allow list sends everyone else to quarantine, which this build does not
    // have yet: refusing the entry is honest, accepting it would screen nothing.
    throw new ApiError("validation_error", "Receive allow lists need quarantine, which is not available yet; use a receive block list", {
      details: [{ path: "kind", message: "receive allow lists are not available yet" }],
    });
  }
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  await cipher.reserve(1);
  const id = uuidv7();
  const entryHash = listHash(cipher, input.entry);
  const entryCipher = new Uint8Array(cipher.encrypt(id, "list.entry", input.entry));
  const inserted = await getDb().$queryRaw<{ createdAt: Date }[]>`
    INSERT INTO "ListEntry" (id, "tenantId", "mailboxId", direction, kind, "entryHash", "entryCipher", "createdAt")
    VALUES (${id}, ${input.tenantId}, ${input.mailboxId}, ${input.direction}, ${input.kind}, ${entryHash}, ${entryCipher}, now())
    ON CONFLICT ("tenantId", "mailboxId", direction, kind, "entryHash") DO NOTHING
    RETURNING "createdAt"`;
  const createdAt =
    inserted[0]?.createdAt ??
    (await getDb().listEntry.findFirstOrThrow({ where: { tenantId: input.tenantId, mailboxId: input.mailboxId, direction: input.direction, kind: input.kind, entryHash } })).createdAt;
  return { created: inserted.length > 0, entry: { entry: input.entry, direction: input.direction, kind: input.kind, createdAt: createdAt.toISOString() } };
}

/** GET …/lists/{direction}/{kind}: newest first, cursor-paginated, decrypted for this mailbox only. */
export async function listListEntries(input: ListRef & { limit: number; cursor?: string }) {
  const before = decodeCursor(input.cursor);
  const rows = await getDb().listEntry.findMany({
    where: { tenantId: input.tenantId, mailboxId: input.mailboxId, direction: input.direction, kind: input.kind, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const page = toPage(rows, input.limit);
  const cipher = page.data.length ? await getMailboxCipher(input.tenantId, input.mailboxId) : null;
  const data: ListEntryDto[] = page.data.map((row) => ({
    entry: cipher!.decrypt(row.id, "list.entry", row.entryCipher).toString("utf8"),
    direction: input.direction,
    kind: input.kind,
    createdAt: row.createdAt.toISOString(),
  }));
  return { data, nextCursor: page.nextCursor };
}

/** DELETE …/lists/{direction}/{kind}/{entry}: 404 when it was not listed. */
export async function removeListEntry(input: ListRef & { entry: string }): Promise<void> {
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  const { count } = await getDb().listEntry.deleteMany({
    where: { tenantId: input.tenantId, mailboxId: input.mailboxId, direction: input.direction, kind: input.kind, entryHash: listHash(cipher, input.entry) },
  });
  if (count === 0) throw new ApiError("not_found", "That entry is not on this list");
}

/**
 * The addresses a mailbox's lists do not allow for `direction`: on a block list (the
 * address or its @domain), or missing from a non-empty allow list. One indexed query.
 */
export async function disallowedAddresses(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, direction: ListDirection, addresses: string[]): Promise<string[]> {
  const unique = [...new Set(addresses.map(normalizeAddress))];
  const keys = unique.map((a) => ({ address: a, own: listHash(cipher, a), domain: listHash(cipher, `@${domainOf(a)}`) }));
  const hashes = [...new Set(keys.flatMap((k) => [k.own, k.domain]))];
  const rows = await getDb().$queryRaw<{ kind: string; entryHash: string | null }[]>`
    SELECT kind, "entryHash" FROM "ListEntry"
    WHERE "tenantId" = ${scope.tenantId} AND "mailboxId" = ${scope.mailboxId} AND direction = ${direction} AND "entryHash" = ANY(${hashes}::text[])
    UNION ALL
    SELECT 'allow_list', NULL WHERE EXISTS (
      SELECT 1 FROM "ListEntry" WHERE "tenantId" = ${scope.tenantId} AND "mailboxId" = ${scope.mailboxId} AND direction = ${direction} AND kind = 'allow')`;
  const blocked = new Set(rows.filter((r) => r.kind === "block").map((r) => r.entryHash));
  const allowed = new Set(rows.filter((r) => r.kind === "allow").map((r) => r.entryHash));
  const hasAllowList = rows.some((r) => r.kind === "allow_list");
  return keys
    .filter((k) => blocked.has(k.own) || blocked.has(k.domain) || (hasAllowList && !allowed.has(k.own) && !allowed.has(k.domain)))
    .map((k) => k.address);
}

/** Whether a mailbox's receive block list names this sender or its @domain (an empty or unparsable sender never is). */
export async function senderBlocked(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, sender: string): Promise<boolean> {
  const address = normalizeAddress(sender ?? "");
  if (!address.includes("@")) return false;
  const hashes = [listHash(cipher, address), listHash(cipher, `@${domainOf(address)}`)];
  const hit = await getDb().listEntry.findFirst({
    where: { tenantId: scope.tenantId, mailboxId: scope.mailboxId, direction: "receive", kind: "block", entryHash: { in: hashes } },
    select: { id: true },
  });
  return hit !== null;
}

/** 422 recipient_not_allowed naming every recipient the mailbox's send lists refuse. */
export async function assertRecipientsAllowed(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, recipients: string[]): Promise<void> {
  const refused = await disallowedAddresses(cipher, scope, "send", recipients);
  if (refused.length > 0) {
    throw new ApiError("recipient_not_allowed", `This mailbox may not send to ${refused.join(", ")} (its allow/block lists)`, { recipients: refused });
  }
}
