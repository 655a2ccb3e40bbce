// The MCP endpoint over real HTTP for the official SDK client: a small node:http
// adapter hands each request to app/api/mcp/route.ts as a web Request, the way
// Next.js does, and writes the Response back.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import * as mcpRoute from "@/app/api/mcp/route";
import { afterAll, beforeAll } from "vitest";

/** Ports of this test helper (the MCP engineer's range); the first free one is used. */
const PORTS = [3370, 3371, 3372, 3373, 3374, 3375, 3376, 3377, 3378, 3379];

type RouteHandler = (req: Request) => Promise<Response>;

function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" ? resolve(false) : reject(err));
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve(true);
    });
  });
}

/** `ports`: the caller's own range (each engineer's tests keep to theirs); PORTS by default. */
export async function startMcpHttp(ports: number[] = PORTS): Promise<{ url: URL; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const method = req.method ?? "GET";
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
      });
      const handler = (mcpRoute as Record<string, unknown>)[method] as RouteHandler | undefined;
      const response = handler ? await handler(request) : new Response(null, { status: 405 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  let port: number | undefined;
  for (const candidate of ports) {
    if (await listen(server, candidate)) {
      port = (server.address() as AddressInfo).port;
      break;
    }
  }
  if (!port) throw new Error(`no free port in ${ports[0]}-${ports[ports.length - 1]} for the MCP test server`);
  return {
    url: new URL(`http://127.0.0.1:${port}/api/mcp`),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The official client, connected with a Bearer key (initialize + initialized). */
export async function connectMcp(url: URL, key: string | undefined): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: key === undefined ? {} : { Authorization: `Bearer ${key}` } },
  });
  const client = new Client({ name: "sairaph-test-agent", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/**
 * One MCP test server for a test file: started before its tests, closed after them
 * together with every client connect() made. `url()` is the server's address.
 */
export function mcpTestServer(ports?: number[]) {
  let server: Awaited<ReturnType<typeof startMcpHttp>> | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startMcpHttp(ports);
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {});
    await server?.close();
  });
  const url = () => {
    if (!server) throw new Error("mcpTestServer: the server starts in beforeAll");
    return server.url;
  };
  return {
    url,
    /** The official client with this key, closed after the file's tests. */
    async connect(key: string | undefined): Promise<Client> {
      const client = await connectMcp(url(), key);
      clients.push(client);
      return client;
    },
  };
}
