// list_messages over MCP next to GET …/messages over REST: the same key, the same
// mailbox (200 realistic messages), the same page size, in the same run, plus
// /api/health of the same build. Goal: MCP at least 80 % of REST's req/s.
// Each MCP request is a complete stateless tools/call (authentication, a fresh SDK
// server, JSON-RPC, the readable text with its untrusted block and hidden-text scan).
import { performance } from "node:perf_hooks";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { issueKey } from "@/lib/keys/issue-key";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { content } from "@/test/bench/list-messages.bench";
import type { Benchmark, BenchTarget } from "@/test/bench/types";

const actor = { type: "system" as const, label: "bench" };
const MESSAGES = 200;
const PAGE = 25;

const bench: Benchmark = {
  name: "mcp",
  async prepare(): Promise<BenchTarget[]> {
    const { tenant } = await createTenant({ name: "Bench MCP", actor });
    const mailbox = await createMailbox({ tenantId: tenant.id, localPart: "mcp-agent", actor });
    const scope = { tenantId: tenant.id, mailboxId: mailbox.id };
    const { secret } = await issueKey({ kind: "mailbox", tenantId: tenant.id, mailboxId: mailbox.id, role: "read", requestsPerMinute: 100_000, actor });
    const started = performance.now();
    for (let i = 0; i < MESSAGES; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, k) => storeInboundMessage({ ...scope, content: content(i + k) })));
    }
    console.log(`[mcp] stored ${MESSAGES} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const authorization = `Bearer ${secret}`;
    const call = {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "list_messages", arguments: { limit: PAGE } },
    };
    return [
      { title: "GET /api/health (floor)", method: "GET", path: "/api/health" },
      { title: `REST GET …/messages?limit=${PAGE}`, method: "GET", path: `/api/v1/mailboxes/${mailbox.id}/messages?limit=${PAGE}`, headers: { authorization } },
      {
        title: `MCP tools/call list_messages limit ${PAGE}`,
        method: "POST",
        path: "/api/mcp",
        headers: {
          authorization,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-06-18",
        },
        body: JSON.stringify(call),
      },
    ];
  },
};

export default bench;
