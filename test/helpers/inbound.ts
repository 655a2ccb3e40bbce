// Posts raw RFC 5322 messages to POST /api/webhooks/inbound the way an MTA does:
// the exact bytes, signed per Standard Webhooks. The signature is computed here with
// node:crypto independently of the app's verifier (svix's own signer is used too,
// where the body is UTF-8 text, in the tests that prove interoperability).
import { createHmac, randomUUID } from "node:crypto";
import { POST as inboundRoute } from "@/app/api/webhooks/inbound/route";
import { readRawEnv } from "@/lib/env";

export type RawPostOptions = {
  recipients?: string[];
  id?: string;
  at?: Date;
  secret?: string;
  /** Replaces the computed webhook-signature header. */
  signature?: string;
  /** Signs these bytes but sends the body given to postRaw (a tampered body). */
  signBody?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
};

export function inboundSecret(): string {
  return readRawEnv("SAIRAPH_INBOUND_SECRET")!;
}

export function standardSignature(secret: string, id: string, timestamp: number, body: Uint8Array): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body])).digest("base64")}`;
}

export function rawRequest(raw: Uint8Array | string, options: RawPostOptions = {}): Request {
  const body = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw);
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = Math.floor((options.at ?? new Date()).getTime() / 1000);
  const signature = options.signature ?? standardSignature(options.secret ?? inboundSecret(), id, timestamp, options.signBody ?? body);
  const url = new URL("http://localhost/api/webhooks/inbound");
  for (const r of options.recipients ?? []) url.searchParams.append("recipient", r);
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "message/rfc822",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
      ...options.headers,
    },
    body,
  });
}

export async function postRaw(raw: Uint8Array | string, options: RawPostOptions = {}) {
  const res = await inboundRoute(rawRequest(raw, options));
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

/** A small RFC 5322 message. */
export function rawMessage(input: { from?: string; to: string; cc?: string; subject?: string; messageId?: string; inReplyTo?: string; references?: string; body?: string }): string {
  const lines = [
    `From: ${input.from ?? "Outside Person <person@outside.example>"}`,
    `To: ${input.to}`,
    ...(input.cc ? [`Cc: ${input.cc}`] : []),
    `Subject: ${input.subject ?? "Hello from outside"}`,
    `Message-ID: ${input.messageId ?? `<${randomUUID()}@outside.example>`}`,
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`] : []),
    ...(input.references ? [`References: ${input.references}`] : []),
    "Date: Mon, 30 Nov 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    input.body ?? "Hi there, this is a message from outside.",
    "",
  ];
  return lines.join("\r\n");
}
