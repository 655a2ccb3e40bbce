// The event log (SPEC §12): written in the transaction of the change it reports,
// ids increasing per tenant with no gaps, mail-naming data encrypted at rest.
import { describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { recordEvent } from "@/lib/events/record-event";
import { readEvents } from "@/lib/events/read-events";
import { revokeKey } from "@/lib/keys/issue-key";
import { setMailboxStatus } from "@/lib/mailboxes/set-mailbox-status";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestKey, createTestMailbox, createTestTenant, TEST_ACTOR } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

describe("event log", () => {
  it("records mailbox, key and message events with per-tenant ids in commit order", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await createTestMailbox(other.id);
    const key = await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read" });
    const { message } = await storeInboundMessage({ tenantId: tenant.id, mailboxId: mailbox.id, content: testContent({ subject: "Canary subject 7731" }) });
    await revokeKey({ keyId: key.key.id, tenantId: tenant.id, actor: TEST_ACTOR });
    await setMailboxStatus({ tenantId: tenant.id, mailboxId: mailbox.id, status: "suspended", actor: TEST_ACTOR });

    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => [e.id, e.type])).toEqual([
      ["1", "mailbox.created"],
      ["2", "message.received"],
      ["3", "key.revoked"],
      ["4", "mailbox.suspended"],
    ]);
    expect(events[1]).toMatchObject({ tenantId: tenant.id, mailboxId: mailbox.id, data: { messageId: message.id, threadId: message.threadId, direction: "inbound", status: "received" } });
    expect(events[2].data).toMatchObject({ keyId: key.key.id, role: "read" });
    // The other tenant counts from 1 on its own and sees none of these.
    const theirs = await readEvents({ tenantId: other.id, after: 0n, limit: 100 });
    expect(theirs.map((e) => [e.id, e.type])).toEqual([["1", "mailbox.created"]]);

    // The message event's data is ciphertext at rest; no plaintext id or subject in the row.
    const { rows } = await getPool().query(`SELECT data, "dataCipher" FROM "Event" WHERE "tenantId" = $1 AND id = 2`, [tenant.id]);
    expect(rows[0].data).toBeNull();
    expect(Buffer.from(rows[0].dataCipher).toString("latin1")).not.toContain(message.id);
  });

  it("a rolled-back transaction leaves no event and no gap", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await expect(
      getDb().$transaction(async (tx) => {
        await recordEvent(tx, { tenantId: tenant.id, mailboxId: mailbox.id, type: "mailbox.suspended", data: { mailboxId: mailbox.id } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await setMailboxStatus({ tenantId: tenant.id, mailboxId: mailbox.id, status: "suspended", actor: TEST_ACTOR });
    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => [e.id, e.type])).toEqual([
      ["1", "mailbox.created"],
      ["2", "mailbox.suspended"],
    ]);
  });

  it("concurrent writers of one tenant get distinct consecutive ids", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        getDb().$transaction((tx) => recordEvent(tx, { tenantId: tenant.id, mailboxId: mailbox.id, type: "mailbox.suspended", data: {} })),
      ),
    );
    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it("a deleted mailbox's events keep ids and type, and mailbox.deleted is recorded", async () => {
    const tenant = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    await createTestKey(tenant.id, { mailboxId: mailbox.id, role: "read_write" });
    await storeInboundMessage({ tenantId: tenant.id, mailboxId: mailbox.id, content: testContent() });
    await deleteMailbox({ tenantId: tenant.id, mailboxId: mailbox.id, actor: TEST_ACTOR });
    const events = await readEvents({ tenantId: tenant.id, after: 0n, limit: 100 });
    expect(events.map((e) => e.type)).toEqual(["mailbox.created", "message.received", "key.revoked", "mailbox.deleted"]);
    // Crypto-shredded: the message event can no longer be read.
    expect(events[1].data).toEqual({});
    expect(events[2].data).toMatchObject({ reason: "mailbox_deleted" });
  });
});
