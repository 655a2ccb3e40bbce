// A reply never trusts the fields of the mail it answers (issue 16 item 2): a From
// without an address, recipients with spaces or without an address, and encoded-word
// subjects and names that decode to CR/LF. Through the real inbound route and the
// real `resend` SDK against the fake Resend: nothing malformed reaches the provider.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as reply from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/reply/route";
import { getDb } from "@/lib/db";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { replyReferences } from "@/lib/outbound/reply-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";
import { postRaw } from "@/test/helpers/inbound";
import { withFakeResend } from "@/test/helpers/with-fake-resend";

setupTestDatabase();
const fake = withFakeResend();

const hostile = readFileSync(path.join(__dirname, "../fixtures/emails/hostile-reply-fields.eml"));

type World = Awaited<ReturnType<typeof createTestWorld>>;

async function receiveHostile(world: World) {
  const res = await postRaw(hostile, { recipients: [world.mailbox.address] });
  expect(res.status).toBe(200);
  const row = await getDb().message.findFirstOrThrow({ where: { mailboxId: world.mailbox.id, direction: "inbound" } });
  return row.id;
}

const replyTo = (world: World, messageId: string, body: Record<string, unknown>) =>
  call(reply.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages/${messageId}/reply`, {
    key: world.keys.read_write,
    params: { mailboxId: world.mailbox.id, messageId },
    body,
  });

async function drain() {
  const worker = createOutboxWorker({ backoffBaseMs: 1, delivery: { backoffBaseMs: 1, providerCallsPerSecond: 1000, providerTimeoutMs: 10_000 } });
  for (let i = 0; i < 50 && (await worker.runOnce()) > 0; i++);
}

const LINE_BREAK = /[\r\n]/;

describe("replying to hostile mail", () => {
  it("a reply to a sender without an address is refused with the error shape, and nothing is queued", async () => {
    const world = await createTestWorld();
    const parent = await receiveHostile(world);
    const res = await replyTo(world, parent, { text: "Hello?" });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "validation_error" });
    expect(res.json.error.details[0].message).toContain("Foo Bar");
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id, direction: "outbound" } })).toBe(0);
  });

  it("a reply-all keeps only valid recipients, says what it left out, and sends no CR/LF to the provider", async () => {
    const world = await createTestWorld();
    const parent = await receiveHostile(world);
    const res = await replyTo(world, parent, { text: "Answering all", replyAll: true });
    expect(res.status).toBe(202);
    // The sender has no address: the reply goes to the others (the fixture's To is another address).
    expect(res.json.to.map((p: { address: string }) => p.address)).toEqual(["agent@unrouted.example", "carol@example.com"]);
    expect(res.json.cc).toEqual([]);
    expect(res.json.subject).toBe("Re: Hi Bcc: victim@x.test");
    const dropped = res.json.warnings.map((w: { code: string; message: string }) => [w.code, w.message]);
    expect(dropped).toHaveLength(3);
    expect(dropped.every(([code]: [string]) => code === "recipient_dropped")).toBe(true);
    expect(dropped.map(([, m]: [string, string]) => m).join(" ")).toMatch(/Foo Bar.*Some One.*Just A Name/);

    await drain();
    expect(fake.accepted).toHaveLength(1);
    const sent = fake.accepted[0].body as { to: string[]; cc?: string[]; bcc?: string[]; subject: string; headers: Record<string, string> };
    for (const value of [sent.subject, ...sent.to, ...(sent.cc ?? []), ...(sent.bcc ?? []), ...Object.values(sent.headers)]) {
      expect(value).not.toMatch(LINE_BREAK);
    }
    expect(sent.to).toEqual(['"Agent Box" <agent@unrouted.example>', '"Zoë Bcc: other-victim@x.test" <carol@example.com>']);
    expect(sent.bcc).toBeUndefined();
    expect(sent.subject).toBe("Re: Hi Bcc: victim@x.test");
    // RFC 5322 §3.6.4: with no References, the parent's In-Reply-To starts the chain.
    expect(sent.headers.References).toBe("<root-1@evil.example> <hostile-reply-1@evil.example>");
    expect(sent.headers["In-Reply-To"]).toBe("<hostile-reply-1@evil.example>");
  });

  it("message ids that could break a header line are left out of a reply's References", () => {
    expect(replyReferences({ messageId: "<a@x>", inReplyTo: "<b@x>\r\nBcc: v@x", references: [] })).toEqual(["<a@x>"]);
    expect(replyReferences({ messageId: "<a@x>", references: ["<r1@x>", "<r 2@x>", "<r3@x>"] })).toEqual(["<r1@x>", "<r3@x>", "<a@x>"]);
  });
});
