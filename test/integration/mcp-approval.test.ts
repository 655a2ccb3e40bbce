// MCP under a send policy (SPEC §13): the official MCP client's send_message from a
// mailbox that requires approval is held (status pending_approval, said plainly in the
// text), list_messages shows that status, nothing reaches the outbox, and no key's
// tool list offers a way to approve: approval is a person's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDb } from "@/lib/db";
import { updateMailbox } from "@/lib/mailboxes/update-mailbox";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";
import { connectMcp, startMcpHttp } from "@/test/helpers/mcp";

setupTestDatabase();

let server: Awaited<ReturnType<typeof startMcpHttp>>;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startMcpHttp();
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await server.close();
});

async function connect(key: string): Promise<Client> {
  const client = await connectMcp(server.url, key);
  clients.push(client);
  return client;
}

async function tool(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("MCP and the send policy", () => {
  it("send_message is held as pending_approval, visible in list_messages, and no tool approves", async () => {
    const world = await createTestWorld();
    await updateMailbox({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, changes: { sendPolicy: "approval" }, actor: TEST_ACTOR, mayChangeStatus: false });
    const agent = await connect(world.keys.read_write);

    const sent = await tool(agent, "send_message", { to: ["ann@example.com"], subject: "Needs a yes", text: "Hello" });
    expect(sent.isError ?? false).toBe(false);
    expect(sent.structuredContent!.status).toBe("pending_approval");
    const text = sent.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
    expect(text).toContain("status pending_approval");
    expect(text).toContain("nothing is sent until an admin approves it");
    expect(await getDb().job.count({ where: { messageId: sent.structuredContent!.id } })).toBe(0);

    const listed = await tool(agent, "list_messages", {});
    expect(listed.structuredContent!.data[0]).toMatchObject({ id: sent.structuredContent!.id, status: "pending_approval" });

    for (const key of [world.keys.read_write, world.keys.management, world.keys.tenant]) {
      const names = (await (await connect(key)).listTools()).tools.map((t) => t.name);
      expect(names.filter((n) => /approv|reject/.test(n)), key.slice(0, 8)).toEqual([]);
    }
  });
});
