// Allow and block lists (SPEC §13), per mailbox and tenant-wide. Entries are stored
// like suppressions: a blind HMAC (for matching) and ciphertext (for listing), under
// the mailbox's keys for a mailbox list (no list leaks across mailboxes) and under the
// tenant data key for a tenant-wide list (which must match in every mailbox). The
// database never holds an entry in clear.
//
// Every mailbox obeys its own lists AND the tenant's, each set on its own: an address
// is refused when either block list names it (or its @domain), or when either allow
// list is non-empty and does not name it.
// Send side: such a recipient refuses the whole send with 422 recipient_not_allowed
// naming them, checked inside the send transaction under a shared lock that adding an
// entry takes exclusively (a send racing an add either commits before the add or sees
// the entry), and again at delivery (lib/outbound/deliver-message.ts).
// Receive side: a blocked sender's mail is dropped and counted; a sender an allow list
// does not name goes to quarantine (lib/guardrails/quarantine.ts).
import "server-only";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { getDb, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import type { TenantCipher } from "@/lib/crypto/tenant-cipher";
import { findTenantCipher, getTenantCipher } from "@/lib/tenants/tenant-data-key";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
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
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  await cipher.reserve(1);
  const id = uuidv7();
  const entryHash = listHash(cipher, input.entry);
  const entryCipher = new Uint8Array(cipher.encrypt(id, "list.entry", input.entry));
  const inserted = await getDb().$transaction(async (tx) => {
    await lockListsForChange(tx, input.tenantId);
    return tx.$queryRaw<{ createdAt: Date }[]>`
      INSERT INTO "ListEntry" (id, "tenantId", "mailboxId", direction, kind, "entryHash", "entryCipher", "createdAt")
      VALUES (${id}, ${input.tenantId}, ${input.mailboxId}, ${input.direction}, ${input.kind}, ${entryHash}, ${entryCipher}, now())
      ON CONFLICT ("tenantId", "mailboxId", direction, kind, "entryHash") DO NOTHING
      RETURNING "createdAt"`;
  });
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
  return { data: openListEntries(cipher, page.data, input), nextCursor: page.nextCursor };
}

/** DELETE …/lists/{direction}/{kind}/{entry}: 404 when it was not listed. */
export async function removeListEntry(input: ListRef & { entry: string }): Promise<void> {
  const cipher = await getMailboxCipher(input.tenantId, input.mailboxId);
  const { count } = await getDb().listEntry.deleteMany({
    where: { tenantId: input.tenantId, mailboxId: input.mailboxId, direction: input.direction, kind: input.kind, entryHash: listHash(cipher, input.entry) },
  });
  if (count === 0) throw new ApiError("not_found", "That entry is not on this list");
}

// ---- Tenant-wide lists: /api/v1/lists/{direction}/{kind} (sm_mgmt_ keys, owners and admins) ----

export type TenantListRef = { tenantId: string; direction: ListDirection; kind: ListKind };

export function tenantListHash(cipher: TenantCipher, entry: string): string {
  return cipher.blindToken(`list:${entry.trim().toLowerCase()}`);
}

/** One transaction-scoped lock per tenant: taken exclusively by an add, shared by a send's list check. */
function listLockKey(tenantId: string): string {
  return `lists:${tenantId}`;
}

async function lockListsForChange(tx: Tx, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${listLockKey(tenantId)}, 0))`;
}

/** POST /api/v1/lists/{direction}/{kind}: 201 with the entry, 200 when it was already listed. Audited. */
export async function addTenantListEntry(input: TenantListRef & { entry: string; actor: Actor }): Promise<{ created: boolean; entry: ListEntryDto }> {
  const cipher = await getTenantCipher(input.tenantId);
  const id = uuidv7();
  const entryHash = tenantListHash(cipher, input.entry);
  const entryCipher = new Uint8Array(cipher.encrypt(id, "list.entry", input.entry));
  const { createdAt, created } = await getDb().$transaction(async (tx) => {
    await lockListsForChange(tx, input.tenantId);
    const rows = await tx.$queryRaw<{ createdAt: Date }[]>`
      INSERT INTO "TenantListEntry" (id, "tenantId", direction, kind, "entryHash", "entryCipher", "createdAt")
      VALUES (${id}, ${input.tenantId}, ${input.direction}, ${input.kind}, ${entryHash}, ${entryCipher}, now())
      ON CONFLICT ("tenantId", direction, kind, "entryHash") DO NOTHING
      RETURNING "createdAt"`;
    if (rows.length === 0) {
      const existing = await tx.tenantListEntry.findFirstOrThrow({ where: { tenantId: input.tenantId, direction: input.direction, kind: input.kind, entryHash } });
      return { createdAt: existing.createdAt, created: false };
    }
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "list.entry_added",
      targetType: "tenant_list",
      targetId: `${input.direction}/${input.kind}`,
      metadata: { direction: input.direction, kind: input.kind, scope: "tenant" },
    });
    return { createdAt: rows[0].createdAt, created: true };
  });
  return { created, entry: { entry: input.entry, direction: input.direction, kind: input.kind, createdAt: createdAt.toISOString() } };
}

/** GET /api/v1/lists/{direction}/{kind}: newest first, cursor-paginated, decrypted with the tenant key. */
export async function listTenantListEntries(input: TenantListRef & { limit: number; cursor?: string }) {
  const before = decodeCursor(input.cursor);
  const rows = await getDb().tenantListEntry.findMany({
    where: { tenantId: input.tenantId, direction: input.direction, kind: input.kind, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const page = toPage(rows, input.limit);
  const cipher = page.data.length ? await getTenantCipher(input.tenantId) : null;
  return { data: openListEntries(cipher, page.data, input), nextCursor: page.nextCursor };
}

/** DELETE /api/v1/lists/{direction}/{kind}/{entry}: 404 when it was not listed. Audited. */
export async function removeTenantListEntry(input: TenantListRef & { entry: string; actor: Actor }): Promise<void> {
  const cipher = await findTenantCipher(input.tenantId);
  if (!cipher) throw new ApiError("not_found", "That entry is not on this list");
  await getDb().$transaction(async (tx) => {
    const { count } = await tx.tenantListEntry.deleteMany({
      where: { tenantId: input.tenantId, direction: input.direction, kind: input.kind, entryHash: tenantListHash(cipher, input.entry) },
    });
    if (count === 0) throw new ApiError("not_found", "That entry is not on this list");
    await recordAuditEvent(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "list.entry_removed",
      targetType: "tenant_list",
      targetId: `${input.direction}/${input.kind}`,
      metadata: { direction: input.direction, kind: input.kind, scope: "tenant" },
    });
  });
}

// ---- Checking addresses against a mailbox's lists and the tenant's ----

/** Runs one statement with positional parameters: the pool, a Prisma transaction or a pg client in a transaction. */
export type ListQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

const poolQuery: ListQuery = (sql, params) => getDb().$queryRawUnsafe<unknown[]>(sql, ...params);

type AddressKeys = { address: string; own: string; domain: string; tenantOwn: string; tenantDomain: string };

/** Hashes of addresses (and their @domains) under both keys, computed before a transaction begins. */
export type ListCheck = { tenantId: string; mailboxId: string; direction: ListDirection; keys: AddressKeys[] };

export async function prepareListCheck(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, direction: ListDirection, addresses: string[]): Promise<ListCheck> {
  // getTenantCipher, not find: a tenant's first entry added while this send is in
  // flight must still match inside the transaction, so the hashes must exist already.
  const tenantCipher = await getTenantCipher(scope.tenantId);
  const unique = [...new Set(addresses.map(normalizeAddress))];
  const keys = unique.map((address) => {
    const domain = `@${domainOf(address)}`;
    return {
      address,
      own: listHash(cipher, address),
      domain: listHash(cipher, domain),
      tenantOwn: tenantListHash(tenantCipher, address),
      tenantDomain: tenantListHash(tenantCipher, domain),
    };
  });
  return { ...scope, direction, keys };
}

const LIST_CHECK_SQL = `
  SELECT 'mailbox' AS scope, kind, "entryHash" FROM "ListEntry"
  WHERE "tenantId" = $1 AND "mailboxId" = $2 AND direction = $3 AND "entryHash" = ANY($4::text[])
  UNION ALL
  SELECT 'mailbox', 'allow_list', NULL WHERE EXISTS (
    SELECT 1 FROM "ListEntry" WHERE "tenantId" = $1 AND "mailboxId" = $2 AND direction = $3 AND kind = 'allow')
  UNION ALL
  SELECT 'tenant', kind, "entryHash" FROM "TenantListEntry"
  WHERE "tenantId" = $1 AND direction = $3 AND "entryHash" = ANY($5::text[])
  UNION ALL
  SELECT 'tenant', 'allow_list', NULL WHERE EXISTS (
    SELECT 1 FROM "TenantListEntry" WHERE "tenantId" = $1 AND direction = $3 AND kind = 'allow')`;

export type ListVerdict = { blocked: string[]; notAllowed: string[] };

/**
 * Which addresses the lists refuse: `blocked` (a block list names the address or its
 * @domain) and `notAllowed` (not blocked, but a non-empty allow list does not name
 * it). One indexed query. In a send transaction (`inTransaction`), a shared lock
 * first waits for an entry being added to commit.
 */
export async function runListCheck(check: ListCheck, query: ListQuery = poolQuery, inTransaction = false): Promise<ListVerdict> {
  if (inTransaction) await query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))::text AS locked`, [listLockKey(check.tenantId)]);
  const mailboxHashes = [...new Set(check.keys.flatMap((k) => [k.own, k.domain]))];
  const tenantHashes = [...new Set(check.keys.flatMap((k) => [k.tenantOwn, k.tenantDomain]))];
  const rows = (await query(LIST_CHECK_SQL, [check.tenantId, check.mailboxId, check.direction, mailboxHashes, tenantHashes])) as {
    scope: "mailbox" | "tenant";
    kind: string;
    entryHash: string | null;
  }[];
  const hits = (scope: string, kind: string) => new Set(rows.filter((r) => r.scope === scope && r.kind === kind).map((r) => r.entryHash));
  const blocked = { mailbox: hits("mailbox", "block"), tenant: hits("tenant", "block") };
  const allowed = { mailbox: hits("mailbox", "allow"), tenant: hits("tenant", "allow") };
  const hasAllowList = { mailbox: rows.some((r) => r.scope === "mailbox" && r.kind === "allow_list"), tenant: rows.some((r) => r.scope === "tenant" && r.kind === "allow_list") };
  const verdict: ListVerdict = { blocked: [], notAllowed: [] };
  for (const k of check.keys) {
    if (blocked.mailbox.has(k.own) || blocked.mailbox.has(k.domain) || blocked.tenant.has(k.tenantOwn) || blocked.tenant.has(k.tenantDomain)) {
      verdict.blocked.push(k.address);
    } else if (
      (hasAllowList.mailbox && !allowed.mailbox.has(k.own) && !allowed.mailbox.has(k.domain)) ||
      (hasAllowList.tenant && !allowed.tenant.has(k.tenantOwn) && !allowed.tenant.has(k.tenantDomain))
    ) {
      verdict.notAllowed.push(k.address);
    }
  }
  return verdict;
}

/** The addresses the mailbox's and the tenant's lists do not allow for `direction` (blocked or not on an allow list). */
export async function disallowedAddresses(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, direction: ListDirection, addresses: string[]): Promise<string[]> {
  const verdict = await runListCheck(await prepareListCheck(cipher, scope, direction, addresses));
  return [...verdict.blocked, ...verdict.notAllowed];
}

/** What becomes of mail from `sender` in this mailbox: stored, dropped (blocked) or held in quarantine (not on an allow list). */
export async function receiveVerdict(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, sender: string): Promise<"deliver" | "block" | "quarantine"> {
  const address = normalizeAddress(sender ?? "");
  // An empty or unparsable sender is never blocked, and no allow list can name it.
  const candidate = address.includes("@") ? address : "unknown@invalid";
  const verdict = await runListCheck(await prepareListCheck(cipher, scope, "receive", [candidate]));
  if (verdict.blocked.length && address.includes("@")) return "block";
  if (verdict.notAllowed.length || (verdict.blocked.length && !address.includes("@"))) return "quarantine";
  return "deliver";
}

/** Whether a mailbox's (or the tenant's) receive block list names this sender or its @domain. */
export async function senderBlocked(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, sender: string): Promise<boolean> {
  return (await receiveVerdict(cipher, scope, sender)) === "block";
}

function refusal(refused: string[]): ApiError {
  return new ApiError("recipient_not_allowed", `This mailbox may not send to ${refused.join(", ")} (its or the tenant's allow/block lists)`, { recipients: refused });
}

/** 422 recipient_not_allowed naming every recipient the mailbox's or the tenant's send lists refuse. */
export async function assertRecipientsAllowed(cipher: MailboxCipher, scope: { tenantId: string; mailboxId: string }, recipients: string[]): Promise<void> {
  const refused = await disallowedAddresses(cipher, scope, "send", recipients);
  if (refused.length > 0) throw refusal(refused);
}

/** The same check inside a send transaction (after prepareListCheck outside it). */
export async function assertListCheckPasses(check: ListCheck, query: ListQuery): Promise<void> {
  const verdict = await runListCheck(check, query, true);
  const refused = [...verdict.blocked, ...verdict.notAllowed];
  if (refused.length > 0) throw refusal(refused);
}

type ListEntryRow = { id: string; entryCipher: Uint8Array; createdAt: Date };

/** A page of list rows, opened with the key that sealed them (the mailbox's or the tenant's). */
function openListEntries(
  cipher: { decrypt(id: string, field: string, data: Uint8Array): Buffer } | null,
  rows: ListEntryRow[],
  list: { direction: ListDirection; kind: ListKind },
): ListEntryDto[] {
  return rows.map((row) => ({
    entry: cipher!.decrypt(row.id, "list.entry", row.entryCipher).toString("utf8"),
    direction: list.direction,
    kind: list.kind,
    createdAt: row.createdAt.toISOString(),
  }));
}
