// One HTTP POST of a webhook: to the address resolveTarget() checked (the request's
// lookup is pinned to it, TLS still verifies the host name), 10 s overall timeout,
// no redirects followed, at most 4 KB of the response read.
import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 4096;

export type PostResult =
  | { ok: true; statusCode: number; durationMs: number }
  | { ok: false; statusCode: number | null; durationMs: number; error: string; retryable: boolean };

export function postWebhook(input: {
  url: URL;
  address: { address: string; family: number };
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
}): Promise<PostResult> {
  const started = Date.now();
  const timeoutMs = input.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, [input.address]);
    } else {
      callback(null, input.address.address, input.address.family);
    }
  };
  const client = input.url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = client.request(
      input.url,
      {
        method: "POST",
        lookup: pinned,
        agent: false,
        headers: { ...input.headers, "content-type": "application/json", "content-length": Buffer.byteLength(input.body).toString(), "user-agent": "Sairaph-Webhooks/1" },
      },
      (res) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          const statusCode = res.statusCode ?? 0;
          const durationMs = Date.now() - started;
          if (statusCode >= 200 && statusCode < 300) finish({ ok: true, statusCode, durationMs });
          else
            finish({
              ok: false,
              statusCode,
              durationMs,
              error: `HTTP ${statusCode}`,
              // 5xx, 429 and 408 are worth retrying; another 4xx is the receiver refusing this payload.
              retryable: statusCode >= 500 || statusCode === 429 || statusCode === 408,
            });
        };
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    req.on("error", (err) => finish({ ok: false, statusCode: null, durationMs: Date.now() - started, error: err.message.slice(0, 300), retryable: true }));
    req.end(input.body);
  });
}
