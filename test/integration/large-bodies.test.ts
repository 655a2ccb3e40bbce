// Large request bodies (issue 16): a body over 1 MiB is parsed, its attachments decoded
// and sealed by the offload worker, off the event loop. What a user sees must be exactly
// what a small body gives: byte-exact attachments, the same errors, Idempotency-Key
// replays, drafts, and MCP sends under the mailbox's large-body slot.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as draftsRoute from "@/app/api/v1/mailboxes/[mailboxId]/drafts/route";
import * as attachmentRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/attachments/[attachmentId]/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/json-body";
import { acquireLargeBodySlot } from "@/lib/http/large-body-slots";
import { idempotencyRequestHash } from "@/lib/idempotency/idempotency-records";
import { sendMessageBody } from "@/lib/outbound/schemas";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";
import { mcpTestServer } from "@/test/helpers/mcp";
import { testContent } from "@/test/helpers/messages";
import { storeInboundMessage } from "@/lib/messages/store-message";

setupTestDatabase();

type World = Awaited<ReturnType<typeof createTestWorld>>;

const send = (world: World, body: unknown, headers: Record<string, string> = {}) =>
  call(messagesRoute.POST, "POST", "/x", { key: world.keys.read_write, params: { mailboxId: world.mailbox.id }, body, headers });

const withFile = (file: Buffer, subject = "Large") => ({
  to: ["ann@example.com"],
  subject,
  text: "See the file",
  attachments: [
    { filename: "big.bin", contentType: "application/octet-stream", content: file.toString("base64") },
    { filename: "note.txt", contentType: "text/plain", content: Buffer.from("small one").toString("base64") },
  ],
});

async function storedFiles(world: World, messageId: string): Promise<Map<string, Buffer>> {
  const message = await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId } });
  expect(message.status).toBe(200);
  const files = new Map<string, Buffer>();
  for (const a of message.json.attachments as { id: string; filename: string }[]) {
    const res = await attachmentRoute.GET(new Request("http://localhost/x", { headers: { authorization: `Bearer ${world.keys.read}` } }), {
      params: Promise.resolve({ mailboxId: world.mailbox.id, messageId, attachmentId: a.id }),
    });
    expect(res.status).toBe(200);
    files.set(a.filename, Buffer.from(await res.arrayBuffer()));
  }
  return files;
}

const mcp = mcpTestServer([3466, 3467, 3468, 3469, 3470]);

describe("a large send body", () => {
  it("stores its attachments byte-exact and replays under its Idempotency-Key", async () => {
    const world = await createTestWorld();
    const file = randomBytes(3 * 1024 * 1024 + 1); // 4 MB of base64, with padding
    const body = withFile(file);
    const first = await send(world, body, { "idempotency-key": "large-1" });
    expect(first.status).toBe(202);
    const files = await storedFiles(world, first.json.id);
    expect(files.get("big.bin")!.equals(file)).toBe(true);
    expect(files.get("note.txt")!.toString()).toBe("small one");
    expect(first.json.sizeBytes).toBeGreaterThanOrEqual(file.length);

    // The same body again: the first response, no second message.
    const again = await send(world, body, { "idempotency-key": "large-1" });
    expect(again.status).toBe(202);
    expect(again.json.id).toBe(first.json.id);
    // Another file under the same key: refused.
    const other = await send(world, withFile(randomBytes(3 * 1024 * 1024)), { "idempotency-key": "large-1" });
    expect(other.status).toBe(422);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
  });

  it("hashes a request the same whether it was parsed off the event loop or on it", async () => {
    const file = randomBytes(2 * 1024 * 1024);
    const body = withFile(file);
    const text = JSON.stringify(body);
    const large = await readJson(new Request("http://localhost/x", { method: "POST", headers: { "content-type": "application/json" }, body: text }), sendMessageBody, 30_000_000);
    const small = sendMessageBody.parse(JSON.parse(text));
    expect(large.attachments![0]!.content.bytes.equals(file)).toBe(true);
    expect(idempotencyRequestHash("POST", "/p", large)).toBe(idempotencyRequestHash("POST", "/p", small));
    const changed = sendMessageBody.parse(withFile(Buffer.concat([file.subarray(1), Buffer.from([1])])));
    expect(idempotencyRequestHash("POST", "/p", changed)).not.toBe(idempotencyRequestHash("POST", "/p", small));
  });

  it("answers the errors a small body gets: invalid base64 names its field, broken JSON is a 400, and nothing is stored", async () => {
    const world = await createTestWorld();
    const base64url = randomBytes(2 * 1024 * 1024).toString("base64url");
    const bad = await send(world, {
      to: ["ann@example.com"],
      subject: "Bad",
      text: "x",
      attachments: [{ filename: "a.bin", content: base64url.padEnd(Math.ceil(base64url.length / 4) * 4, "=") }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    expect(bad.json.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: "attachments.0.content" })]));

    const broken = await call(messagesRoute.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      rawBody: `{"to":["ann@example.com"],"subject":"x","text":"${"a".repeat(2 * 1024 * 1024)}"`,
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toBe("The body is not valid JSON");
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
  });

  it("is refused with 413 above 25 MB of base64, counted as sent", async () => {
    const world = await createTestWorld();
    // 25 MB of base64 in the attachment plus the text: one byte over the limit.
    const file = randomBytes((25 * 1024 * 1024 * 3) / 4);
    const res = await send(world, { to: ["ann@example.com"], subject: "Too big", text: "x", attachments: [{ filename: "f.bin", content: file.toString("base64") }] });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("payload_too_large");
  });

  it("makes a draft with a large attachment", async () => {
    const world = await createTestWorld();
    const file = randomBytes(2 * 1024 * 1024 + 2);
    const res = await call(draftsRoute.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["ann@example.com"], subject: "Draft", attachments: [{ filename: "d.bin", content: file.toString("base64") }] },
    });
    expect(res.status).toBe(201);
    expect(res.json.attachments).toMatchObject([{ filename: "d.bin", size: file.length }]);
  });
});

describe("large received mail", () => {
  it("stores a copy whose large attachment was sealed off the event loop byte-exact, and a repeat once", async () => {
    const world = await createTestWorld();
    const file = randomBytes(1024 * 1024 + 5);
    const content = testContent({ attachments: [{ filename: "scan.pdf", contentType: "application/pdf", content: file, contentId: null, inline: false }] });
    const first = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content });
    expect(first.duplicate).toBe(false);
    expect((await storedFiles(world, first.message.id)).get("scan.pdf")!.equals(file)).toBe(true);
    const again = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, content });
    expect(again).toMatchObject({ duplicate: true, message: { id: first.message.id } });
    expect(await getDb().attachment.count({ where: { mailboxId: world.mailbox.id } })).toBe(1);
  });
});

describe("a large MCP send", () => {
  it("waits for its mailbox's large-body slot, then stores its attachment byte-exact", async () => {
    const world = await createTestWorld();
    const client = await mcp.connect(world.keys.read_write);
    const file = randomBytes(1024 * 1024 + 3);
    // A REST large body of the same mailbox holds the slot.
    const release = await acquireLargeBodySlot(world.mailbox.id);
    let done = false;
    const sending = client
      .callTool({ name: "send_message", arguments: { to: ["ann@example.com"], subject: "Over MCP", text: "File", attachments: [{ filename: "m.bin", content: file.toString("base64") }] } })
      .then((r) => {
        done = true;
        return r as CallToolResult;
      });
    await new Promise((r) => setTimeout(r, 500));
    expect(done).toBe(false);
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id } })).toBe(0);
    release();
    const result = await sending;
    expect(result.isError).toBeFalsy();
    const id = (result.structuredContent as { id: string }).id;
    expect((await storedFiles(world, id)).get("m.bin")!.equals(file)).toBe(true);
  });
});
