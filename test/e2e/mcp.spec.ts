import { expect, test, type Page } from "@playwright/test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createMailbox, signUp, uniqueEmail } from "./helpers";

async function createKey(page: Page, mailbox: string, role: string): Promise<string> {
  await page.goto("/keys");
  await page.getByLabel("Mailbox", { exact: true }).selectOption({ label: mailbox });
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByTestId("key-secret").textContent())!.trim();
}

async function connect(baseURL: string, key: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("/api/mcp", baseURL), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  const client = new Client({ name: "e2e-agent", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

// The official MCP client against the production server: Next's real router, the
// bundled SDK, the app's own outbox worker delivering between two mailboxes.
test("an agent sends over MCP from one mailbox and another agent reads it over MCP and REST", async ({ page, request, baseURL }) => {
  await signUp(page, uniqueEmail("owner"), "MCP Agents");
  const sender = await createMailbox(page, "mcp-sender");
  const receiver = await createMailbox(page, "mcp-receiver");
  const senderKey = await createKey(page, sender, "read_write");
  const receiverKey = await createKey(page, receiver, "read");

  const a = await connect(baseURL!, senderKey);
  const b = await connect(baseURL!, receiverKey);
  expect((await b.listTools()).tools.map((t) => t.name)).not.toContain("send_message");

  const sent = (await a.callTool({
    name: "send_message",
    arguments: { to: receiver, subject: "Hello over MCP", text: "Sent by an agent.", idempotencyKey: "e2e-mcp-1" },
  })) as CallToolResult;
  expect(sent.isError ?? false).toBe(false);

  let messageId = "";
  await expect(async () => {
    const list = (await b.callTool({ name: "list_messages", arguments: { direction: "inbound" } })) as CallToolResult & { structuredContent: { data: { id: string; subject: string }[] } };
    expect(list.structuredContent.data.map((m) => m.subject)).toEqual(["Hello over MCP"]);
    messageId = list.structuredContent.data[0].id;
  }).toPass({ timeout: 20_000 });

  const read = (await b.callTool({ name: "get_message", arguments: { messageId } })) as CallToolResult;
  const text = read.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  expect(text).toMatch(/<untrusted-email-content boundary="[\w-]+">[\s\S]*Sent by an agent\./);

  const whoami = await (await request.get("/api/v1/whoami", { headers: { authorization: `Bearer ${receiverKey}` } })).json();
  const rest = await request.get(`/api/v1/mailboxes/${whoami.mailbox.id}/messages/${messageId}`, { headers: { authorization: `Bearer ${receiverKey}` } });
  expect(await rest.json()).toMatchObject({ id: messageId, subject: "Hello over MCP", text: "Sent by an agent.", from: { address: sender } });

  await a.close();
  await b.close();
});

test("/api/mcp refuses a missing key with 401, a Bearer challenge and the REST error shape", async ({ request }) => {
  const res = await request.post("/api/mcp", {
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    data: { jsonrpc: "2.0", id: 1, method: "tools/list" },
  });
  expect(res.status()).toBe(401);
  expect(res.headers()["www-authenticate"]).toMatch(/^Bearer /);
  expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
  expect((await request.get("/api/mcp")).status()).toBe(405);
});
