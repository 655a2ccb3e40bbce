// Exactly-once under a slow first request (issue 16 item 1): the first request is
// paused past its idempotency lock (a test hook right before its transaction), a
// retry with the same key takes the key over and is accepted; when the first one
// resumes it answers with the retry's stored response, never with a second message.
import { afterEach, describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as reply from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reply/route";
import { getDb } from "@/lib/db";
import { acceptTestHooks } from "@/lib/outbound/accept-outbound";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";
import { withFakeResend } from "@/test/helpers/with-fake-resend";

setupTestDatabase();
const fake = withFakeResend();

afterEach(() => {
  acceptTestHooks.beforeStore = undefined;
});

type World = Awaited<ReturnType<typeof createTestWorld>>;
const body = { to: ["ann@example.com"], subject: "Invoice", text: "Attached" };

const send = (world: World, key: string) =>
  call(messages.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages`, {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id },
    body,
    headers: { "idempotency-key": key },
  });

/** Pauses the next request right before its transaction; resolves `paused` when it got there. */
function pauseNextRequest() {
  let release!: () => void;
  let reached!: () => void;
  const paused = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  let used = false;
  acceptTestHooks.beforeStore = async () => {
    if (used) return;
    used = true;
    reached();
    await gate;
  };
  return { paused, release };
}

/** What the 30 s lock of a stalled first request looks like once it has run out. */
const expireLock = (world: World, key: string) =>
  getDb().idempotencyRecord.updateMany({ where: { tenantId: world.tenant.id, key }, data: { lockedUntil: new Date(Date.now() - 1000) } });

async function drain() {
  const worker = createOutboxWorker({ backoffBaseMs: 1, delivery: { backoffBaseMs: 1, providerCallsPerSecond: 1000, providerTimeoutMs: 10_000 } });
  for (let i = 0; i < 100 && (await worker.runOnce()) > 0; i++);
}

describe("a first request slower than its idempotency lock", () => {
  it("a new send: one message, one provider call, and the first request answers with the stored response", async () => {
    const world = await createTestWorld();
    const hold = pauseNextRequest();
    const first = send(world, "slow-1");
    await hold.paused;
    await expireLock(world, "slow-1");

    const retry = await send(world, "slow-1");
    expect(retry.status).toBe(202);
    hold.release();
    const late = await first;

    expect(late.status).toBe(202);
    expect(late.json).toEqual(retry.json);
    expect(late.headers.get("idempotent-replayed")).toBe("true");
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
    await drain();
    expect(fake.accepted).toHaveLength(1);
  });

  it("a reply: one message, and the first request answers with the stored response", async () => {
    const world = await createTestWorld();
    const parent = await send(world, "parent");
    expect(parent.status).toBe(202);
    const replyOnce = () =>
      call(reply.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages/${parent.json.id}/reply`, {
        key: world.keys.read_write,
        params: { mailboxId: world.mailbox.id, messageId: parent.json.id },
        body: { text: "Thanks" },
        headers: { "idempotency-key": "slow-reply" },
      });
    const hold = pauseNextRequest();
    const first = replyOnce();
    await hold.paused;
    await expireLock(world, "slow-reply");
    const retry = await replyOnce();
    expect(retry.status).toBe(202);
    hold.release();
    const late = await first;
    expect(late.status).toBe(202);
    expect(late.json).toEqual(retry.json);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(2);
  });
});
