// One mailbox never blocks another (issue 16 item 3): while a burst of large sends
// from mailbox A is in flight (held inside their transactions, more of them than the
// pool has connections), a small send from mailbox B is accepted; then A's burst
// completes too. Throughput under load is measured in test/bench/send-isolation.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { LARGE_BODY_WAIT_MS, acquireLargeBodySlot } from "@/lib/http/large-body-slots";
import { sendTestHooks } from "@/lib/outbound/send-test-hooks";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestMailbox, createTestKey, createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

afterEach(() => {
  sendTestHooks.inTransaction = undefined;
});

const send = (mailboxId: string, key: string, body: unknown) =>
  call(messages.POST, "POST", `/api/v1/mailboxes/${mailboxId}/messages`, { key, params: { mailboxId }, body });

describe("a burst from one mailbox", () => {
  it("does not stop another mailbox from sending", async () => {
    const world = await createTestWorld();
    const a = world.mailbox;
    const b = await createTestMailbox(world.tenant.id);
    const bKey = (await createTestKey(world.tenant.id, { mailboxId: b.id, role: "read_write" })).secret;
    await getDb().mailbox.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { sendPerMinute: 1000, sendPerDay: 10_000 } });

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let aInside = 0;
    sendTestHooks.inTransaction = async (mailboxId) => {
      if (mailboxId !== a.id) return;
      aInside += 1;
      await gate;
    };
    const large = { to: ["ann@example.com"], subject: "Large", text: "x", attachments: [{ filename: "big.bin", contentType: "application/octet-stream", content: Buffer.alloc(1 << 20, 7).toString("base64") }] };
    // More of A's sends than the pool has connections (20).
    const burst = Array.from({ length: 24 }, () => send(a.id, world.keys.read_write, large));
    for (let i = 0; i < 400 && aInside === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(aInside).toBeGreaterThan(0);

    const order: string[] = [];
    const small = send(b.id, bKey, { to: ["bob@example.com"], subject: "Small", text: "Hi" }).then((res) => {
      order.push("B");
      return res;
    });
    // B is answered while A's burst is still held inside its transactions.
    for (let i = 0; i < 400 && order.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    order.push("release A");
    release();
    expect((await small).status).toBe(202);
    const results = await Promise.all(burst);
    expect(order).toEqual(["B", "release A"]);
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(await getDb().message.count({ where: { mailboxId: a.id } })).toBe(24);
  });

  it("works one mailbox's large bodies one at a time, before reading them; its small sends and other mailboxes never wait for them", async () => {
    const world = await createTestWorld();
    const a = world.mailbox;
    await getDb().mailbox.update({ where: { id: a.id }, data: { sendPerMinute: 1000, sendPerDay: 10_000 } });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const subjects: string[] = [];
    sendTestHooks.inTransaction = async (mailboxId) => {
      if (mailboxId !== a.id) return;
      subjects.push("inside");
      await gate;
    };
    // 1.5 MB of base64: over the 1 MiB large-body threshold.
    const large = (subject: string) => ({
      to: ["ann@example.com"],
      subject,
      text: "x",
      attachments: [{ filename: "big.bin", contentType: "application/octet-stream", content: Buffer.alloc(1_100_000, 7).toString("base64") }],
    });
    const first = send(a.id, world.keys.read_write, large("Large 1"));
    for (let i = 0; i < 400 && subjects.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    const second = send(a.id, world.keys.read_write, large("Large 2"));
    await new Promise((r) => setTimeout(r, 500));
    // The second large body waits for the first; it has not reached the transaction.
    expect(subjects).toEqual(["inside"]);
    // A small send of the same mailbox takes the other send slot: only the hook holds it.
    sendTestHooks.inTransaction = async (mailboxId) => {
      if (mailboxId !== a.id) return;
      subjects.push("inside");
      if (subjects.length !== 2) await gate;
    };
    const small = await send(a.id, world.keys.read_write, { to: ["bob@example.com"], subject: "Small", text: "Hi" });
    expect(small.status).toBe(202);
    release();
    expect((await first).status).toBe(202);
    expect((await second).status).toBe(202);
    expect(await getDb().message.count({ where: { mailboxId: a.id } })).toBe(3);
  });

  it("a large body that waits longer than 10 s for its mailbox's slot gets 429 with Retry-After", async () => {
    vi.useFakeTimers();
    try {
      const releaseFirst = await acquireLargeBodySlot("mailbox-x");
      const waiting = acquireLargeBodySlot("mailbox-x");
      const other = await acquireLargeBodySlot("mailbox-y");
      vi.advanceTimersByTime(LARGE_BODY_WAIT_MS + 1);
      const err = await waiting.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ code: "rate_limited", headers: { "Retry-After": "2" } });
      releaseFirst();
      other();
      // Released: the next one gets the slot at once.
      const again = await acquireLargeBodySlot("mailbox-x");
      again();
    } finally {
      vi.useRealTimers();
    }
  });
});
