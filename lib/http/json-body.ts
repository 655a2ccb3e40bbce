// Request bodies: JSON only, size-capped, validated by one zod schema.
import { z } from "zod";
import { ApiError, validationError } from "@/lib/errors";
import { LARGE_BODY_BYTES } from "@/lib/http/large-body-slots";
import { parseJsonOffLoop } from "@/lib/offload/offload-pool";
import { forgetDecodedContent, registerDecodedContent } from "@/lib/outbound/attachment-bytes";
import { readCappedBytes, type ReadOptions } from "@/lib/request-body";

/**
 * `optional`: an empty body (no bytes, with or without a JSON Content-Type) is
 * validated as `{}`, e.g. approve, or reject without a reason.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes = 1_000_000, options: { optional?: boolean } & ReadOptions = {}): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  const json = /^application\/json\b/i.test(type);
  if (options.optional && !type && (req.body === null || req.headers.get("content-length") === "0")) return validated(schema, {});
  if (!json && !(options.optional && !type)) {
    throw new ApiError("validation_error", "Send a JSON body with Content-Type: application/json", {
      details: [{ path: "", message: "Content-Type must be application/json" }],
    });
  }
  const bytes = await readCappedBytes(req, maxBytes, { large: options.large });
  if (options.optional && bytes.length === 0) return validated(schema, {});
  if (!json) {
    throw new ApiError("validation_error", "Send a JSON body with Content-Type: application/json", {
      details: [{ path: "", message: "Content-Type must be application/json" }],
    });
  }
  if (bytes.length > LARGE_BODY_BYTES) return validatedOffLoop(schema, bytes);
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw invalidJson();
  }
  return validated(schema, body);
}

function invalidJson(): ApiError {
  return new ApiError("validation_error", "The body is not valid JSON", { details: [{ path: "", message: "invalid JSON" }] });
}

/**
 * A large body is parsed, and its large attachment contents decoded, by an offload
 * worker (lib/offload/offload-pool.ts); the decoded contents stand in for their
 * base64 strings while the schema validates (lib/outbound/attachment-bytes.ts).
 * Registering, validating and forgetting run with no await between them, so no other
 * request's validation ever sees these tokens.
 */
async function validatedOffLoop<S extends z.ZodType>(schema: S, bytes: Buffer): Promise<z.infer<S>> {
  const parsed = await parseJsonOffLoop(bytes);
  if (!parsed.ok) throw invalidJson();
  const tokens: string[] = [];
  try {
    const attachments = (parsed.body as { attachments: { content: unknown }[] }).attachments;
    for (const d of parsed.decoded) {
      const token = registerDecodedContent(d.bytes, d.base64Length);
      tokens.push(token);
      attachments[d.index]!.content = token;
    }
    return validated(schema, parsed.body);
  } finally {
    forgetDecodedContent(tokens);
  }
}

function validated<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error, "The query parameters are invalid");
  return parsed.data;
}
