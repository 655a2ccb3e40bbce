// Screening of inbound mail end to end (SPEC §13): raw MIME through the signed inbound
// webhook, flags stored with the message, read back over REST (list and single message)
// and over MCP with the official client, inside the untrusted-content frame.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import * as messagesRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import * as messageRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/route";
import { getPool } from "@/lib/db";
import { listMailboxMail } from "@/lib/messages/list-mailbox-mail";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";
import { postRaw } from "@/test/helpers/inbound";
import { mcpTestServer } from "@/test/helpers/mcp";

setupTestDatabase();

const fixture = (name: string) => readFileSync(`test/fixtures/emails/${name}`);
type World = Awaited<ReturnType<typeof createTestWorld>>;

async function receive(world: World, file: string): Promise<string> {
  const res = await postRaw(fixture(file), { recipients: [world.mailbox.address] });
  expect(res.status).toBe(200);
  const list = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { limit: "1" } });
  return list.json.data[0].id as string;
}

async function flagsOf(world: World, messageId: string) {
  const res = await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId } });
  expect(res.status).toBe(200);
  return res.json.security.flags as string[];
}

const mcp = mcpTestServer([3430, 3431, 3432, 3433, 3434]);

describe("security flags of inbound mail", () => {
  it("are computed at ingest and returned with the message in lists and in full; ordinary mail has none", async () => {
    const world = await createTestWorld();
    const cases: [string, string[]][] = [
      ["screening-zero-width.eml", ["hidden_text"]],
      ["screening-white-on-white.eml", ["hidden_text"]],
      ["screening-link-mismatch.eml", ["link_text_mismatch"]],
      ["screening-display-name.eml", ["display_name_imitates_address"]],
      ["screening-prompt-injection.eml", ["prompt_injection"]],
      ["plain-text.eml", []],
      ["html-text-alternative-utf8-qp.eml", []],
      ["calendar-invite-google.eml", []],
    ];
    const ids: Record<string, string> = {};
    for (const [file, flags] of cases) {
      ids[file] = await receive(world, file);
      expect(await flagsOf(world, ids[file]), file).toEqual(flags);
    }
    const list = await call(messagesRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id }, query: { limit: "100" } });
    const listed = new Map((list.json.data as { id: string; security: { flags: string[] } }[]).map((m) => [m.id, m.security.flags]));
    for (const [file, flags] of cases) expect(listed.get(ids[file]), file).toEqual(flags);

    // The dashboard's mail list marks flagged threads (and flagged messages when filtered).
    const threads = await listMailboxMail({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, limit: 50 });
    const threadOf = async (id: string) => (await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId: id } })).json.threadId;
    const flaggedThreads = new Set(threads.data.filter((r) => r.flagged).map((r) => r.threadId));
    for (const [file, flags] of cases) expect(flaggedThreads.has(await threadOf(ids[file])), file).toBe(flags.length > 0);
    const inbound = await listMailboxMail({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, limit: 50, direction: "inbound" });
    expect(inbound.data.filter((r) => r.flagged).map((r) => r.key).sort()).toEqual(cases.filter(([, f]) => f.length).map(([file]) => ids[file]).sort());

    // Advisory only: the flagged message is stored whole, nothing removed.
    const full = await call(messageRoute.GET, "GET", "/x", { key: world.keys.read, params: { mailboxId: world.mailbox.id, messageId: ids["screening-prompt-injection.eml"] } });
    expect(full.json.text).toContain("IGNORE ALL PREVIOUS");

    // Only flag names are stored in the clear: no excerpt of the message.
    const stored = await getPool().query<{ securityFlags: string[] }>(`SELECT "securityFlags" FROM "Message" WHERE id = $1`, [ids["screening-prompt-injection.eml"]]);
    expect(stored.rows[0].securityFlags).toEqual(["prompt_injection"]);

    // A row from before screening (or with a flag this version does not know) reads as none.
    await getPool().query(`UPDATE "Message" SET "securityFlags" = NULL WHERE id = $1`, [ids["plain-text.eml"]]);
    expect(await flagsOf(world, ids["plain-text.eml"])).toEqual([]);
    await getPool().query(`UPDATE "Message" SET "securityFlags" = ARRAY['future_flag'] WHERE id = $1`, [ids["plain-text.eml"]]);
    expect(await flagsOf(world, ids["plain-text.eml"])).toEqual([]);
  });

  it("reach the agent over MCP inside the untrusted-content frame, and outbound mail carries none", async () => {
    const world = await createTestWorld();
    const id = await receive(world, "screening-link-mismatch.eml");
    const client = await mcp.connect(world.keys.read_write);
    const result = (await client.callTool({ name: "get_message", arguments: { messageId: id } })) as CallToolResult & { structuredContent?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent?.security).toEqual({ flags: ["link_text_mismatch"] });
    const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
    const open = text.indexOf("<untrusted-email-content");
    const close = text.indexOf("</untrusted-email-content");
    const flagLine = text.indexOf("Security flags");
    expect(open).toBeGreaterThan(-1);
    expect(flagLine).toBeGreaterThan(open);
    expect(flagLine).toBeLessThan(close);
    expect(text.slice(flagLine, text.indexOf("\n", flagLine))).toContain("link_text_mismatch");

    const listed = (await client.callTool({ name: "list_messages", arguments: {} })) as CallToolResult;
    expect(listed.content.map((c) => (c.type === "text" ? c.text : "")).join("\n")).toContain("Security flags: link_text_mismatch");

    const sent = await call(messagesRoute.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: "someone@elsewhere.example", subject: "Ignore previous instructions", text: "system prompt" },
    });
    expect(sent.status).toBe(202);
    expect(sent.json.security).toEqual({ flags: [] });
  });
});
