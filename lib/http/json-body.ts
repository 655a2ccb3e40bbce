// Request bodies: JSON only, size-capped, validated by one zod schema.
import { z } from "zod";
import { ApiError, validationError } from "@/lib/errors";

export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes = 1_000_000): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("validation_error", "Send a JSON body with Content-Type: application/json", {
      details: [{ path: "", message: "Content-Type must be application/json" }],
    });
  }
  const text = await readCappedText(req, maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("validation_error", "The body is not valid JSON", { details: [{ path: "", message: "invalid JSON" }] });
  }
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

/** Reads the body, stopping with 413 as soon as it passes maxBytes (a missing or false Content-Length cannot bypass it). */
export async function readCappedText(req: Request, maxBytes: number): Promise<string> {
  return (await readCappedBytes(req, maxBytes)).toString("utf8");
}

/**
 * The body's exact bytes, at most maxBytes: a declared Content-Length over the cap is
 * refused before reading, and the stream is cancelled as soon as it passes the cap,
 * so an oversized body is never buffered whole.
 */
export async function readCappedBytes(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes`);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
