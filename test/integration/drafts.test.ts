// Drafts end to end (SPEC §13): REST routes against the real database, the real send
// path and the local provider delivering to another mailbox of this deployment; the
// MCP tools with the official client.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import * as draftsRoute from "@/app/api/v1/mailboxes/[mailboxId]/drafts/route";
import * as draftRoute from "@/app/api/v1/mailboxes/[mailboxId]/drafts/[draftId]/route";
import * as sendDraftRoute from "@/app/api/v1/mailboxes/[mailboxId]/drafts/[draftId]/send/route";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import * as mailboxRoute from "@/app/api/v1/mailboxes/[mailboxId]/route";
import * as attachmentRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/attachments/[attachmentId]/route";
import { getDb } from "@/lib/db";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { sendTestHooks } from "@/lib/outbound/send-test-hooks";
import { MAX_MESSAGE_BYTES } from "@/lib/outbound/schemas";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { dumpDatabase } from "@/test/helpers/dump-database";
import { TEST_ACTOR, createTestWorld } from "@/test/helpers/factories";
import { mcpTestServer } from "@/test/helpers/mcp";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

type World = Awaited<ReturnType<typeof createTestWorld>>;
const worker = createOutboxWorker({ backoffBaseMs: 10 });
const drain = async () => {
  while ((await worker.runOnce()) > 0);
};

const createDraft = (world: World, body: unknown, key = world.keys.read_write, mailboxId = world.mailbox.id) =>
  call(draftsRoute.POST, "POST", "/x", { key, params: { mailboxId }, body });
const getDraft = (world: World, draftId: string, key = world.keys.read, mailboxId = world.mailbox.id) =>
  call(draftRoute.GET, "GET", "/x", { key, params: { mailboxId, draftId } });
const patchDraft = (world: World, draftId: string, body: unknown, key = world.keys.read_write, mailboxId = world.mailbox.id) =>
  call(draftRoute.PATCH, "PATCH", "/x", { key, params: { mailboxId, draftId }, body });
const sendDraft = (world: World, draftId: string, key = world.keys.read_write, headers: Record<string, string> = {}, mailboxId = world.mailbox.id) =>
  call(sendDraftRoute.POST, "POST", "/x", { key, params: { mailboxId, draftId }, body: {}, headers });
const inboxOf = async (world: World) =>
  (await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { limit: "100", direction: "inbound" } })).json.data as {
    id: string;
    subject: string;
    attachments: { id: string; filename: string; size: number }[];
  }[];
const draftCount = (world: World) => getDb().draft.count({ where: { tenantId: world.tenant.id, mailboxId: world.mailbox.id } });

const mcp = mcpTestServer([3435, 3436, 3437, 3438, 3439]);

describe("drafts over REST", () => {
  it("create → update → send: the recipient mailbox receives it, attachments byte-exact, and the draft is gone", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const file = randomBytes(300_001); // not a multiple of 3: base64 padding
    const created = await createDraft(a, { subject: "Plan v1", text: "first words" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ to: [], subject: "Plan v1", text: "first words", attachments: [], inReplyTo: null });
    const id = created.json.id as string;

    const updated = await patchDraft(a, id, {
      to: [b.mailbox.address],
      cc: "Carl <carl@elsewhere.example>",
      subject: "Plan v2",
      html: "<p>final <b>words</b></p>",
      text: null,
      attachments: [{ filename: "plan.bin", contentType: "application/octet-stream", content: file.toString("base64") }],
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ to: [b.mailbox.address], cc: ["Carl <carl@elsewhere.example>"], subject: "Plan v2", text: null, html: "<p>final <b>words</b></p>" });
    expect(updated.json.attachments).toMatchObject([{ filename: "plan.bin", size: file.length }]);

    // A PATCH that leaves attachments out keeps them.
    expect((await patchDraft(a, id, { subject: "Plan v3" })).json.attachments).toHaveLength(1);
    const read = await getDraft(a, id);
    expect(read.json).toMatchObject({ subject: "Plan v3", html: "<p>final <b>words</b></p>", text: null });

    // The draft list: newest first, without bodies.
    await createDraft(a, { subject: "Another" });
    const list = await call(draftsRoute.GET, "GET", "/x", { key: a.keys.read, params: { mailboxId: a.mailbox.id }, query: { limit: "1" } });
    expect(list.json.data).toHaveLength(1);
    expect(list.json.data[0].subject).toBe("Another");
    expect(list.json.data[0].html).toBeUndefined();
    const page2 = await call(draftsRoute.GET, "GET", "/x", { key: a.keys.read, params: { mailboxId: a.mailbox.id }, query: { limit: "1", cursor: list.json.nextCursor } });
    expect(page2.json.data.map((d: { id: string }) => d.id)).toEqual([id]);

    const sent = await sendDraft(a, id);
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({ direction: "outbound", status: "queued", subject: "Plan v3", html: "<p>final <b>words</b></p>" });
    expect(sent.json.to.map((p: { address: string }) => p.address)).toEqual([b.mailbox.address]);
    expect((await getDraft(a, id)).status).toBe(404);
    expect(await draftCount(a)).toBe(1);
    expect(await getDb().draftAttachment.count({ where: { draftId: id } })).toBe(0);

    await drain();
    const inbox = await inboxOf(b);
    expect(inbox.map((m) => m.subject)).toEqual(["Plan v3"]);
    const att = inbox[0].attachments[0];
    expect(att).toMatchObject({ filename: "plan.bin", size: file.length });
    const full = await fetchBytes(b, inbox[0].id, att.id);
    expect(full.equals(file)).toBe(true);

    // A draft is sent once: again → 404, and nothing more reaches the recipient.
    const again = await sendDraft(a, id);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe("not_found");
    await drain();
    expect(await inboxOf(b)).toHaveLength(1);
  });

  it("honours Idempotency-Key: a retry answers the first response and sends nothing twice", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const id = (await createDraft(a, { to: b.mailbox.address, subject: "Once", text: "only once" })).json.id;
    const first = await sendDraft(a, id, a.keys.read_write, { "Idempotency-Key": "draft-send-1" });
    const retry = await sendDraft(a, id, a.keys.read_write, { "Idempotency-Key": "draft-send-1" });
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retry.json.id).toBe(first.json.id);
    await drain();
    expect((await inboxOf(b)).map((m) => m.subject)).toEqual(["Once"]);
  });

  it("goes through the mailbox's send policy: with approval the sent draft waits as pending_approval and the draft is gone", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const policy = await call(mailboxRoute.PATCH, "PATCH", "/x", { key: a.keys.management, params: { mailboxId: a.mailbox.id }, body: { sendPolicy: "approval" } });
    expect(policy.status).toBe(200);
    const id = (await createDraft(a, { to: b.mailbox.address, subject: "Needs a person", text: "wait for approval" })).json.id;
    const sent = await sendDraft(a, id);
    expect(sent.status).toBe(202);
    expect(sent.json.status).toBe("pending_approval");
    expect((await getDraft(a, id)).status).toBe(404);
    await drain();
    expect(await inboxOf(b)).toEqual([]);
  });

  it("answers a message of the mailbox in its thread, with Re: subject and In-Reply-To", async () => {
    const a = await createTestWorld();
    const { message } = await storeInboundMessage({ tenantId: a.tenant.id, mailboxId: a.mailbox.id, content: testContent({ subject: "Question" }) });
    const original = (await call(messageRoute.GET, "GET", "/x", { key: a.keys.read, params: { mailboxId: a.mailbox.id, messageId: message.id } })).json;
    const id = (await createDraft(a, { to: "sender@example.org", text: "Answer", inReplyTo: message.id })).json.id;
    const sent = await sendDraft(a, id);
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({ threadId: message.threadId, subject: "Re: Question", inReplyTo: original.messageId });
    expect(sent.json.references).toEqual([original.messageId]);
  });

  it("validates like a send only when sent: an incomplete draft is refused with details and stays unchanged", async () => {
    const a = await createTestWorld();
    const id = (await createDraft(a, { subject: "No recipient yet" })).json.id;
    const refused = await sendDraft(a, id);
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe("validation_error");
    expect(refused.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["text", "to"]);
    expect((await getDraft(a, id)).json.subject).toBe("No recipient yet");
    expect(await getDb().message.count({ where: { mailboxId: a.mailbox.id } })).toBe(0);

    // Bad fields are refused as a send's are, even in a draft, and nothing is written.
    const before = await draftCount(a);
    for (const body of [
      { to: "not an address" },
      { subject: "Hi\r\nBcc: victim@x.test" },
      { headers: { From: "boss@x.test" } },
      { attachments: [{ filename: "x", content: "***" }] },
      { unknown: 1 },
    ]) {
      const res = await createDraft(a, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
    const big = "A".repeat(MAX_MESSAGE_BYTES + 4);
    const tooBig = await createDraft(a, { attachments: [{ filename: "big.bin", content: big }] });
    expect(tooBig.status).toBe(413);
    expect(await draftCount(a)).toBe(before);
  });

  it("keeps drafts per mailbox: another mailbox's or tenant's draft is 404 for every route, and a read key cannot write", async () => {
    const a = await createTestWorld();
    const other = await createTestWorld();
    const { message } = await storeInboundMessage({ tenantId: other.tenant.id, mailboxId: other.mailbox.id, content: testContent() });
    const id = (await createDraft(a, { to: "x@elsewhere.example", subject: "Mine", text: "mine" })).json.id;

    // The other tenant's keys on their own mailbox, naming a's draft id.
    expect((await getDraft(other, id)).status).toBe(404);
    expect((await patchDraft(other, id, { subject: "stolen" })).status).toBe(404);
    expect((await sendDraft(other, id)).status).toBe(404);
    expect((await call(draftRoute.DELETE, "DELETE", "/x", { key: other.keys.read_write, params: { mailboxId: other.mailbox.id, draftId: id } })).status).toBe(404);
    // A sm_mgmt_ key of the other tenant on a's mailbox.
    expect((await getDraft(a, id, other.keys.tenant)).status).toBe(404);
    // inReplyTo must be a message of this mailbox.
    expect((await createDraft(a, { inReplyTo: message.id })).status).toBe(404);

    expect((await createDraft(a, { subject: "x" }, a.keys.read)).status).toBe(403);
    expect((await sendDraft(a, id, a.keys.read)).status).toBe(403);
    expect((await getDraft(a, id, a.keys.read)).status).toBe(200);
    expect((await getDraft(a, id)).json.subject).toBe("Mine");

    const deleted = await call(draftRoute.DELETE, "DELETE", "/x", { key: a.keys.read_write, params: { mailboxId: a.mailbox.id, draftId: id } });
    expect(deleted.json).toEqual({ id, deleted: true });
    expect((await getDraft(a, id)).status).toBe(404);
  });

  it("sends a draft once under concurrent sends, and not at all when it changed while being sent", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const id = (await createDraft(a, { to: b.mailbox.address, subject: "Race", text: "once" })).json.id;
    const results = await Promise.all([sendDraft(a, id), sendDraft(a, id), sendDraft(a, id)]);
    expect(results.map((r) => r.status).sort()).toEqual([202, 404, 404]);
    await drain();
    expect((await inboxOf(b)).map((m) => m.subject)).toEqual(["Race"]);

    // Changed between the send's read and its transaction: 409, nothing stored, the new version stays.
    const changed = (await createDraft(a, { to: b.mailbox.address, subject: "Old words", text: "old" })).json.id;
    sendTestHooks.beforeStore = async () => {
      sendTestHooks.beforeStore = undefined;
      expect((await patchDraft(a, changed, { subject: "New words" })).status).toBe(200);
    };
    try {
      const refused = await sendDraft(a, changed);
      expect(refused.status).toBe(409);
      expect(refused.json.error.code).toBe("conflict");
    } finally {
      sendTestHooks.beforeStore = undefined;
    }
    expect((await getDraft(a, changed)).json.subject).toBe("New words");
    expect(await getDb().message.count({ where: { mailboxId: a.mailbox.id, direction: "outbound" } })).toBe(1);
    expect((await sendDraft(a, changed)).status).toBe(202);
  });

  it("stores no draft content in the clear", async () => {
    const a = await createTestWorld();
    const canary = `canary${randomBytes(6).toString("hex")}`;
    await createDraft(a, {
      to: `${canary}@elsewhere.example`,
      subject: `subject ${canary}`,
      text: `text ${canary}`,
      attachments: [{ filename: `${canary}.txt`, contentType: "text/plain", content: Buffer.from(`file ${canary}`).toString("base64") }],
    });
    expect(await dumpDatabase()).not.toContain(canary);

    // Deleting the mailbox takes its drafts and their attachments with it.
    await deleteMailbox({ tenantId: a.tenant.id, mailboxId: a.mailbox.id, actor: TEST_ACTOR });
    expect(await getDb().draft.count({ where: { mailboxId: a.mailbox.id } })).toBe(0);
    expect(await getDb().draftAttachment.count({ where: { mailboxId: a.mailbox.id } })).toBe(0);
  });
});

async function fetchBytes(world: World, messageId: string, attachmentId: string): Promise<Buffer> {
  const res = await attachmentRoute.GET(
    new Request(`http://localhost/x`, { headers: { authorization: `Bearer ${world.keys.read}` } }),
    { params: Promise.resolve({ mailboxId: world.mailbox.id, messageId, attachmentId }) },
  );
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe("drafts over MCP", () => {
  const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

  it("create_draft, update_draft, list_drafts and send_draft with the official client; read keys see only list_drafts", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const client = await mcp.connect(a.keys.read_write);
    const tool = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

    const created = await tool("create_draft", { subject: "From the agent", text: "draft text" });
    expect(created.isError).toBeFalsy();
    const id = created.structuredContent!.id as string;
    const updated = await tool("update_draft", { draftId: id, to: [b.mailbox.address] });
    expect(updated.structuredContent).toMatchObject({ id, to: [b.mailbox.address], subject: "From the agent", text: "draft text" });
    const listed = await tool("list_drafts", {});
    expect(listed.structuredContent!.data.map((d: { id: string }) => d.id)).toEqual([id]);
    expect(textOf(listed)).toContain(id);

    const sent = await tool("send_draft", { draftId: id, idempotencyKey: "mcp-draft-1" });
    expect(sent.isError).toBeFalsy();
    expect(sent.structuredContent).toMatchObject({ direction: "outbound", status: "queued", subject: "From the agent" });
    const again = await tool("send_draft", { draftId: id });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toContain("not_found");
    await drain();
    expect((await inboxOf(b)).map((m) => m.subject)).toEqual(["From the agent"]);

    const reader = await mcp.connect(a.keys.read);
    const names = (await reader.listTools()).tools.map((t) => t.name);
    expect(names).toContain("list_drafts");
    for (const name of ["create_draft", "update_draft", "send_draft"]) expect(names).not.toContain(name);
    await expect(reader.callTool({ name: "create_draft", arguments: { subject: "x" } })).rejects.toThrow(/read_write/);
    expect(await draftCount(a)).toBe(0);
  });
});
