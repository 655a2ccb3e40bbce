// Request bodies: JSON only, size-capped, validated by one zod schema.
import { z } from "zod";
import { ApiError, validationError } from "@/lib/errors";
import { readCappedText, type ReadOptions } from "@/lib/request-body";

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
  const text = await readCappedText(req, maxBytes, { large: options.large });
  if (options.optional && text.length === 0) return validated(schema, {});
  if (!json) {
    throw new ApiError("validation_error", "Send a JSON body with Content-Type: application/json", {
      details: [{ path: "", message: "Content-Type must be application/json" }],
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("validation_error", "The body is not valid JSON", { details: [{ path: "", message: "invalid JSON" }] });
  }
  return validated(schema, body);
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
