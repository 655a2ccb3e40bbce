// Which mailboxes of this deployment a message is for. A recipient is a mailbox of a
// domain that may receive (verified; a pending domain neither sends nor receives,
// SPEC §1) and that is not deleted; a suspended mailbox still receives (SPEC §2).
// Anything else is an unknown address, and every unknown address looks the same.
import "server-only";
import { getPool } from "@/lib/db";
import { isValidAddress, normalizeAddress } from "@/lib/outbound/addresses";
import type { MessageContent } from "@/lib/messages/message-content";

/** More recipients than this in one delivery are ignored (an MTA delivers one message per recipient or a few). */
export const MAX_INBOUND_RECIPIENTS = 100;

export type RoutedMailbox = { id: string; tenantId: string; address: string };

/**
 * Envelope recipients when the sender gave them, else To and Cc: lowercased, valid,
 * distinct, capped. `requested` also counts the distinct ones that are not valid
 * addresses (they are unknown addresses too).
 */
export function inboundRecipients(
  envelope: string[],
  content: Pick<MessageContent, "to" | "cc">,
): { addresses: string[]; fromEnvelope: boolean; requested: number } {
  const fromEnvelope = envelope.length > 0;
  const candidates = fromEnvelope ? envelope : [...content.to, ...content.cc].map((p) => p.address);
  const seen = new Set<string>();
  const addresses: string[] = [];
  for (const candidate of candidates) {
    if (seen.size >= MAX_INBOUND_RECIPIENTS) break;
    const address = normalizeAddress(candidate.slice(0, 321));
    if (seen.has(address)) continue;
    seen.add(address);
    if (address.length <= 320 && isValidAddress(address)) addresses.push(address);
  }
  return { addresses, fromEnvelope, requested: seen.size };
}

/** The mailboxes that receive mail for these (normalized) addresses; one query (raw: it runs for every arriving message). */
export async function receivingMailboxes(addresses: string[]): Promise<RoutedMailbox[]> {
  if (addresses.length === 0) return [];
  const { rows } = await getPool().query<RoutedMailbox>(
    `SELECT m.id, m."tenantId", m.address FROM "Mailbox" m JOIN "Domain" d ON d.id = m."domainId"
     WHERE m.address = ANY($1::text[]) AND m.status <> 'deleted' AND d.status = 'verified'`,
    [addresses],
  );
  // A stable order (tenant, then mailbox): concurrent deliveries take their locks, the
  // tenants' event counters among them, in the same order.
  const key = (m: RoutedMailbox) => `${m.tenantId}:${m.id}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
