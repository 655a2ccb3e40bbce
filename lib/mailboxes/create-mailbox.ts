import "server-only";
import { recordEvent } from "@/lib/events/record-event";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { ApiError, isUniqueViolation } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { createMailboxDataKey } from "@/lib/mailboxes/data-keys";
import { normalizeDomain } from "@/lib/domains/add-domain";

const LOCAL_PART_RE = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/;

export function normalizeLocalPart(input: string): string {
  const local = input.trim().toLowerCase();
  if (!LOCAL_PART_RE.test(local) || local.includes("..")) {
    throw new ApiError("validation_error", `"${input}" is not a valid local part`, {
      details: [{ path: "localPart", message: "must be 1-64 of a-z 0-9 . _ + - and start and end with a letter or digit" }],
    });
  }
  return local;
}

export type CreateMailboxInput = {
  tenantId: string;
  localPart: string;
  domain?: string;
  displayName?: string | null;
  clientRef?: string | null;
  actor: Actor;
};

/** Creates the mailbox and its data key in one transaction; the address is unique deployment-wide. */
export async function createMailbox(input: CreateMailboxInput) {
  const db = getDb();
  const localPart = normalizeLocalPart(input.localPart);
  const domain = input.domain
    ? await db.domain.findFirst({ where: { tenantId: input.tenantId, name: normalizeDomain(input.domain) } })
    : await db.domain.findFirst({
        where: { tenantId: input.tenantId },
        orderBy: [{ isDev: "asc" }, { id: "asc" }],
      });
  if (!domain) {
    throw new ApiError("not_found", input.domain ? `Domain ${input.domain} not found` : "This tenant has no domain");
  }
  const address = `${localPart}@${domain.name}`;
  const id = uuidv7();
  try {
    return await db.$transaction(async (tx) => {
      const mailbox = await tx.mailbox.create({
        data: {
          id,
          tenantId: input.tenantId,
          domainId: domain.id,
          localPart,
          address,
          displayName: input.displayName?.trim() || null,
          clientRef: input.clientRef?.trim() || null,
        },
      });
      await createMailboxDataKey(tx, input.tenantId, id);
      await recordAuditEvent(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "mailbox.created",
        targetType: "mailbox",
        targetId: id,
        metadata: { address },
      });
      await recordEvent(tx, { tenantId: input.tenantId, mailboxId: id, type: "mailbox.created", data: { mailboxId: id, clientRef: mailbox.clientRef } });
      return mailbox;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const target = JSON.stringify((err as { meta?: unknown }).meta ?? "");
      if (target.includes("clientRef")) {
        throw new ApiError("conflict", `A mailbox with clientRef "${input.clientRef}" already exists`);
      }
      throw new ApiError("conflict", `The address ${address} is already taken`);
    }
    throw err;
  }
}
