// How an MCP tool is declared: from its REST twin in the route table (role, input
// and response schemas), with a static agent-facing description and truthful
// annotations, and a `run` that makes the same lib/ call as the REST handler.
import "server-only";
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { RouteSpec } from "@/lib/http/route-table";
import type { KeyRecord, MailboxRef, Principal, TenantRef } from "@/lib/keys/authenticate-key";

/** Who is calling, as the REST authentication steps established it for this HTTP request. */
export type McpCaller = {
  key: KeyRecord;
  tenant: TenantRef;
  principal: Principal;
  /** The key's own mailbox; null for a sm_mgmt_ key. */
  ownMailbox: MailboxRef | null;
  requestId: string;
};

export type ToolRunContext = McpCaller & {
  /** The mailbox the call acts on (mailbox tools only): the key's own, or the sm_mgmt_ key's choice. */
  mailbox: MailboxRef | null;
};

type ContentBlock =
  | { type: "text"; text: string }
  | { type: "image"; data: string; mimeType: string }
  | { type: "audio"; data: string; mimeType: string }
  | { type: "resource"; resource: { uri: string; mimeType: string; text: string } | { uri: string; mimeType: string; blob: string } };

export type ToolOutput = {
  structured: Record<string, unknown>;
  /** A short readable text; email content in it sits inside an untrusted block. */
  text: string;
  /** Further content after the text (an attachment's bytes). */
  extra?: ContentBlock[];
};

export type AnyObjectSchema = z.ZodObject<z.ZodRawShape>;

export type ToolDef<I extends AnyObjectSchema = AnyObjectSchema> = {
  name: string;
  title: string;
  /** Static, written for an agent: what it does, when to use it, what it returns, what it costs. */
  description: string;
  /** The REST twin: the tool needs the same role. */
  route: RouteSpec;
  /** Acts on one mailbox: takes `mailboxId` (required with a sm_mgmt_ key). */
  mailboxScoped: boolean;
  input: I;
  output: AnyObjectSchema;
  annotations: ToolAnnotations;
  run: (args: z.output<I>, ctx: ToolRunContext) => Promise<ToolOutput>;
};

export function defineTool<I extends AnyObjectSchema>(def: ToolDef<I>): ToolDef {
  return def as unknown as ToolDef;
}

/** The route's query or body schema as an object schema the tool can extend. */
export function objectSchema(schema: z.ZodType | undefined, what: string): AnyObjectSchema {
  if (!(schema instanceof z.ZodObject)) throw new Error(`${what} is not an object schema`);
  return schema as AnyObjectSchema;
}

/** The route's success body as the tool's output schema. */
export function responseSchema(route: RouteSpec): AnyObjectSchema {
  return objectSchema(route.response instanceof z.ZodType ? route.response : undefined, `${route.method} ${route.path} response`);
}

export const ID_INPUT = z.string().min(1).max(100);

const MAILBOX_ID_OPTIONAL = ID_INPUT.optional().describe(
  "The mailbox to act on. Leave it out to use this key's own mailbox; if given, it must be that mailbox's id.",
);
const MAILBOX_ID_REQUIRED = ID_INPUT.describe(
  "The mailbox to act on: any mailbox of this key's tenant (find ids with list_mailboxes). Required with a management (sm_mgmt_) key.",
);

/** The input schema a key of this kind sees: mailbox tools gain `mailboxId`, required for sm_mgmt_ keys. */
export function inputSchemaFor(tool: ToolDef, kind: KeyRecord["kind"]): AnyObjectSchema {
  if (!tool.mailboxScoped) return tool.input;
  return tool.input.safeExtend({ mailboxId: kind === "tenant" ? MAILBOX_ID_REQUIRED : MAILBOX_ID_OPTIONAL }) as AnyObjectSchema;
}

/** JSON Schema (draft 7, which every client validator reads) of an input or output schema. */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): { type: "object"; [k: string]: unknown } {
  const json = z.toJSONSchema(schema, { io, target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return { ...json, type: "object" };
}
