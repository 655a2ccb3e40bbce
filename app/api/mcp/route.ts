import { handleMcpRequest } from "@/lib/mcp/server";

export const dynamic = "force-dynamic";

// POST /api/mcp – MCP over Streamable HTTP (stateless JSON-RPC), authenticated with the same Bearer keys as REST
export const POST = handleMcpRequest;

// GET, DELETE /api/mcp – 405: no server-to-client stream and no session in stateless mode
export const GET = handleMcpRequest;
export const DELETE = handleMcpRequest;
