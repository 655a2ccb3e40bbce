// A local stand-in for Resend's HTTP API, for the real `resend` SDK (RESEND_BASE_URL).
// POST /emails honours Idempotency-Key the way Resend does: the same key with the
// same body returns the first response and sends nothing new; the same key with a
// different body is 409 invalid_idempotent_request. Faults can be scripted per call:
// 500s, 429s (with Retry-After) and timeouts (optionally after accepting the email,
// as when a response is lost on the way back). A request without the test key gets
// Resend's 401.
//
// Receiving: received emails (added with receive() or receiveRaw()) are served at
// GET /emails/receiving/{id} (inline images as data: URIs unless html_format=cid, as
// Resend does), GET /emails/receiving/{id}/attachments[/{id}] with signed-looking
// download URLs, and the bytes at those URLs (no API key, like a signed URL).
// scriptReceiving() faults the next receiving calls.
import { createHash, randomUUID } from "node:crypto";
import PostalMime from "postal-mime";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | { kind: "status"; status: number; name?: string; message?: string; headers?: Record<string, string> }
  | { kind: "timeout"; ms: number; acceptFirst?: boolean }
  | { kind: "reset" };

export type ReceivedAttachment = { filename: string | null; contentType: string; content: Buffer; contentId: string | null; disposition: "inline" | "attachment" };

export type ReceivedEmail = {
  from: string;
  to: string[];
  cc?: string[];
  replyTo?: string[];
  receivedFor?: string[];
  subject: string;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  messageId: string;
  attachments: ReceivedAttachment[];
};

type StoredReceived = ReceivedEmail & { id: string; createdAt: string; attachmentIds: string[] };

export type AcceptedEmail = { id: string; idempotencyKey: string | null; body: Record<string, unknown>; at: number };

export class FakeResend {
  readonly accepted: AcceptedEmail[] = [];
  /** Every POST /emails, faulted or not. */
  requests = 0;
  /** When each POST /emails arrived (ms since the epoch), faulted or not. */
  readonly requestTimes: number[] = [];
  /** Latency of every answer (a slow provider, so deliveries are in flight for a while). */
  delayMs = 0;
  private faults: Fault[] = [];
  private receivingFaults: Fault[] = [];
  private received = new Map<string, StoredReceived>();
  private downloads = new Map<string, Buffer>();
  /** Every GET under /emails/receiving, faulted or not. */
  receivingRequests = 0;
  private byKey = new Map<string, { hash: string; id: string }>();
  private server: Server | null = null;
  url = "";

  /** Scripts the next calls' faults, in order; calls beyond the list succeed. */
  script(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Scripts faults for the next GET /emails/receiving… calls. */
  scriptReceiving(...faults: Fault[]): void {
    this.receivingFaults.push(...faults);
  }

  /** Stores a received email as Resend would after accepting it; returns its email id. */
  receive(email: ReceivedEmail): string {
    const id = randomUUID();
    this.received.set(id, { ...email, id, createdAt: new Date().toISOString(), attachmentIds: email.attachments.map(() => randomUUID()) });
    return id;
  }

  /** A received email as Resend parses a raw message (first value of each header). */
  async receiveRaw(raw: Buffer, receivedFor: string[] = []): Promise<string> {
    const parsed = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
    const format = (a: { name?: string; address?: string }) => (a.name ? `"${a.name}" <${a.address}>` : (a.address ?? ""));
    const list = (v: typeof parsed.to) => (v ?? []).flatMap((a) => ("group" in a && a.group ? a.group.map(format) : [format(a as { name?: string; address?: string })]));
    const headers: Record<string, string> = {};
    for (const h of parsed.headers) headers[h.key] ??= h.value;
    return this.receive({
      from: parsed.from ? format(parsed.from as { name?: string; address?: string }) : "",
      to: list(parsed.to),
      cc: list(parsed.cc),
      replyTo: list(parsed.replyTo),
      receivedFor,
      subject: parsed.subject ?? "",
      text: parsed.text ?? null,
      html: parsed.html ?? null,
      headers,
      messageId: parsed.messageId ?? "",
      attachments: parsed.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.mimeType,
        content: Buffer.from(a.content as ArrayBuffer),
        contentId: a.contentId ? a.contentId.replace(/^<|>$/g, "") : null,
        disposition: a.disposition === "inline" || a.related ? "inline" : "attachment",
      })),
    });
  }

  acceptedByKey(key: string): AcceptedEmail[] {
    return this.accepted.filter((a) => a.idempotencyKey === key);
  }

  reset(): void {
    this.accepted.length = 0;
    this.requests = 0;
    this.requestTimes.length = 0;
    this.faults = [];
    this.receivingFaults = [];
    this.receivingRequests = 0;
    this.received.clear();
    this.downloads.clear();
    this.byKey.clear();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private accept(key: string | null, raw: string, body: Record<string, unknown>): { id: string; replay: boolean; conflict: boolean } {
    const hash = createHash("sha256").update(raw).digest("hex");
    if (key) {
      const seen = this.byKey.get(key);
      if (seen) return { id: seen.id, replay: true, conflict: seen.hash !== hash };
    }
    const id = randomUUID();
    if (key) this.byKey.set(key, { hash, id });
    this.accepted.push({ id, idempotencyKey: key, body, at: Date.now() });
    return { id, replay: false, conflict: false };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname.startsWith("/downloads/")) {
      const bytes = this.downloads.get(url.pathname.slice("/downloads/".length));
      if (!bytes) return send(404, { statusCode: 404, name: "not_found", message: "Expired or unknown download" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(bytes.length) });
      res.end(bytes);
      return;
    }
    if (req.headers.authorization !== "Bearer re_test_key") {
      return send(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
    }
    if (req.method === "GET" && url.pathname.startsWith("/emails/receiving/")) return this.handleReceiving(url, req, res, send);
    if (req.method !== "POST" || req.url !== "/emails") return send(404, { statusCode: 404, name: "not_found", message: "Not found" });

    this.requests += 1;
    this.requestTimes.push(Date.now());
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(422, { statusCode: 422, name: "validation_error", message: "Invalid JSON" });
    }
    const fault = this.faults.shift();
    if (fault?.kind === "status") {
      const body = { statusCode: fault.status, name: fault.name ?? "application_error", message: fault.message ?? "scripted fault" };
      return send(fault.status, body, fault.headers);
    }
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "timeout") {
      const outcome = fault.acceptFirst ? this.accept(key, raw, body) : null;
      await new Promise((r) => setTimeout(r, fault.ms));
      return send(200, { id: outcome?.id ?? randomUUID() });
    }
    if (!body.from || !body.to || !body.subject) {
      return send(422, { statusCode: 422, name: "validation_error", message: "from, to and subject are required" });
    }
    const outcome = this.accept(key, raw, body);
    if (outcome.conflict) {
      return send(409, { statusCode: 409, name: "invalid_idempotent_request", message: "Same idempotency key used with a different request payload" });
    }
    send(200, { id: outcome.id });
  }

  private async handleReceiving(url: URL, req: IncomingMessage, res: ServerResponse, send: (status: number, body: unknown) => void): Promise<void> {
    this.receivingRequests += 1;
    const fault = this.receivingFaults.shift();
    if (fault?.kind === "status") {
      return send(fault.status, { statusCode: fault.status, name: fault.name ?? "application_error", message: fault.message ?? "scripted fault" });
    }
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "timeout") await new Promise((r) => setTimeout(r, fault.ms));
    const [emailId, section, attachmentId] = url.pathname.slice("/emails/receiving/".length).split("/");
    const email = this.received.get(emailId);
    if (!email) return send(404, { statusCode: 404, name: "not_found", message: "Email not found" });
    const attachmentData = (i: number) => {
      const a = email.attachments[i];
      const token = randomUUID();
      this.downloads.set(token, a.content);
      return {
        id: email.attachmentIds[i],
        filename: a.filename ?? undefined,
        size: a.content.length,
        content_type: a.contentType,
        content_disposition: a.disposition,
        content_id: a.contentId ?? undefined,
        download_url: `${this.url}/downloads/${token}`,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      };
    };
    if (section === "attachments" && attachmentId) {
      const i = email.attachmentIds.indexOf(attachmentId);
      if (i < 0) return send(404, { statusCode: 404, name: "not_found", message: "Attachment not found" });
      return send(200, { object: "attachment", ...attachmentData(i) });
    }
    if (section === "attachments") {
      return send(200, { object: "list", has_more: false, data: email.attachments.map((_, i) => attachmentData(i)) });
    }
    let html = email.html;
    if (html && url.searchParams.get("html_format") !== "cid") {
      for (const a of email.attachments) {
        if (a.contentId) html = html.replaceAll(`cid:${a.contentId}`, `data:${a.contentType};base64,${a.content.toString("base64")}`);
      }
    }
    send(200, {
      object: "email",
      id: email.id,
      to: email.to,
      from: email.from,
      created_at: email.createdAt,
      subject: email.subject,
      bcc: null,
      cc: email.cc ?? null,
      reply_to: email.replyTo ?? null,
      received_for: email.receivedFor ?? email.to,
      html,
      text: email.text,
      headers: email.headers,
      message_id: email.messageId,
      raw: null,
      attachments: email.attachments.map((a, i) => ({
        id: email.attachmentIds[i],
        filename: a.filename,
        size: a.content.length,
        content_type: a.contentType,
        content_id: a.contentId,
        content_disposition: a.disposition,
      })),
    });
  }
}
