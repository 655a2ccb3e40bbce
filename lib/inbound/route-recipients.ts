// Which mailboxes of this deployment a message is for. A recipient is a mailbox of a
// domain that may receive (verified; a pending domain neither sends nor receives,
// SPEC §1) and that is not deleted; a suspended mailbox still receives (SPEC §2).
// Anything else is an unknown address, and every unknown address looks the same.
import "server-only";
import { getDb } from "@/lib/db";
import { isValidAddress, normalizeAddress } from "@/lib/outbound/addresses";
import type { MessageContent } from "@/lib/messages/message-content";

/** More recipients than this in one delivery are ignored (an MTA delivers one message per recipient or a few). */
export const MAX_INBOUND_RECIPIENTS = 100;

export type RoutedMailbox = { id: string; tenantId: string; address: string };

/** Envelope recipients when the sender gave them, else To and Cc: lowercased, valid, distinct, capped. */
export function inboundRecipients(envelope: string[], content: Pick<MessageContent, "to" | "cc">): { addresses: string[]; fromEnvelope: boolean } {
  const fromEnvelope = envelope.length > 0;
  const candidates = fromEnvelope ? envelope : [...content.to, ...content.cc].map((p) => p.address);
  const addresses = new Set<string>();
  for (const candidate of candidates) {
    if (addresses.size >= MAX_INBOUND_RECIPIENTS) break;
    if (candidate.length > 320) continue;
    const address = normalizeAddress(candidate);
    if (isValidAddress(address)) addresses.add(address);
  }
  return { addresses: [...addresses], fromEnvelope };
}

/** The mailboxes that receive mail for these (normalized) addresses; one query. */
export async function receivingMailboxes(addresses: string[]): Promise<RoutedMailbox[]> {
  if (addresses.length === 0) return [];
  const rows = await getDb().mailbox.findMany({
    where: { address: { in: addresses }, status: { not: "deleted" }, domain: { status: "verified" } },
    select: { id: true, tenantId: true, address: true },
  });
  // A stable order: concurrent deliveries to the same mailboxes take their locks in the same order.
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
