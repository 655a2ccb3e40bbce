// Reading a request body with a byte cap. Neutral (not lib/http): webhook receivers
// under lib/ read their exact bytes with it, and lib/http/json-body.ts parses JSON from it.
import { ApiError } from "@/lib/errors";

/** Reads the body, stopping with 413 as soon as it passes maxBytes (a missing or false Content-Length cannot bypass it). */
export async function readCappedText(req: Request, maxBytes: number, options: ReadOptions = {}): Promise<string> {
  return (await readCappedBytes(req, maxBytes, options)).toString("utf8");
}

/**
 * `large`: take() is awaited once before reading a body declared over `bytes`, or when
 * one grows past it; from then on pace(n) is awaited before each further chunk of n bytes.
 */
export type ReadOptions = { large?: { bytes: number; take: () => Promise<void>; pace?: (bytes: number) => Promise<void> } };

/**
 * The body's exact bytes, at most maxBytes: a declared Content-Length over the cap is
 * refused before reading, and the stream is cancelled as soon as it passes the cap,
 * so an oversized body is never buffered whole.
 */
export async function readCappedBytes(req: Request, maxBytes: number, options: ReadOptions = {}): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes`);
  if (!req.body) return Buffer.alloc(0);
  const large = options.large;
  let waited = false;
  if (large && declared > large.bytes) {
    await large.take();
    waited = true;
  }
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
    if (large && !waited && total > large.bytes) {
      await large.take();
      waited = true;
    }
    if (waited && large?.pace) await large.pace(value.byteLength);
  }
  return Buffer.concat(chunks);
}
