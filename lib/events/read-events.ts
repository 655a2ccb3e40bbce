// Reads the event log in id order and turns rows into the public event shape,
// decrypting the data of events that name mail with the mailbox's key.
import "server-only";
import { getPool } from "@/lib/db";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { EVENT_DATA_FIELD, eventRowId } from "@/lib/events/record-event";
import type { EventDto, EventType } from "@/lib/events/types";

export type EventRow = {
  tenantId: string;
  id: string;
  type: string;
  mailboxId: string | null;
  data: Record<string, unknown> | null;
  dataCipher: Uint8Array | null;
  createdAt: Date;
};

export const MAX_EVENT_PAGE = 500;

/** Events of a tenant (optionally one mailbox) with id > after, oldest first. */
export async function readEvents(input: { tenantId: string; mailboxId?: string | null; after: bigint; limit: number }): Promise<EventDto[]> {
  const params: unknown[] = [input.tenantId, input.after.toString(), Math.min(input.limit, MAX_EVENT_PAGE)];
  let mailboxFilter = "";
  if (input.mailboxId) {
    params.push(input.mailboxId);
    mailboxFilter = `AND "mailboxId" = $4`;
  }
  const { rows } = await getPool().query<EventRow>(
    `SELECT "tenantId", id::text AS id, type, "mailboxId", data, "dataCipher", "createdAt" AT TIME ZONE 'UTC' AS "createdAt"
     FROM "Event" WHERE "tenantId" = $1 AND id > $2::bigint ${mailboxFilter}
     ORDER BY "Event".id LIMIT $3`,
    params,
  );
  return toEventDtos(rows);
}

/** The newest event id of a tenant (0 when it has none). */
export async function latestEventId(tenantId: string): Promise<bigint> {
  const { rows } = await getPool().query<{ id: string | null }>(`SELECT max(id)::text AS id FROM "Event" WHERE "tenantId" = $1`, [tenantId]);
  return BigInt(rows[0]?.id ?? "0");
}

export async function toEventDtos(rows: EventRow[]): Promise<EventDto[]> {
  const ciphers = new Map<string, MailboxCipher | null>();
  const out: EventDto[] = [];
  for (const row of rows) {
    let data: Record<string, unknown> = row.data ?? {};
    if (row.dataCipher && row.mailboxId) {
      const key = row.mailboxId;
      if (!ciphers.has(key)) ciphers.set(key, await getMailboxCipher(row.tenantId, key).catch(() => null));
      const cipher = ciphers.get(key);
      // A deleted mailbox's key is destroyed (crypto-shredding): its events keep their ids and type only.
      data = cipher ? cipher.decryptJson<Record<string, unknown>>(eventRowId(BigInt(row.id)), EVENT_DATA_FIELD, row.dataCipher) : {};
    }
    out.push({
      id: row.id,
      type: row.type as EventType,
      createdAt: row.createdAt.toISOString(),
      tenantId: row.tenantId,
      mailboxId: row.mailboxId,
      data,
    });
  }
  return out;
}
