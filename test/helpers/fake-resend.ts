// A local stand-in for Resend's HTTP API, for the real `resend` SDK (RESEND_BASE_URL).
// POST /emails honours Idempotency-Key the way Resend does: the same key with the
// same body returns the first response and sends nothing new; the same key with a
// different body is 409 invalid_idempotent_request. Faults can be scripted per call:
// 500s, 429s (with Retry-After) and timeouts (optionally after accepting the email,
// as when a response is lost on the way back). A request without the test key gets
// Resend's 401.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | { kind: "status"; status: number; name?: string; message?: string; headers?: Record<string, string> }
  | { kind: "timeout"; ms: number; acceptFirst?: boolean }
  | { kind: "reset" };

export type AcceptedEmail = { id: string; idempotencyKey: string | null; body: Record<string, unknown>; at: number };

export class FakeResend {
  readonly accepted: AcceptedEmail[] = [];
  /** Every POST /emails, faulted or not. */
  requests = 0;
  /** When each POST /emails arrived (ms since the epoch), faulted or not. */
  readonly requestTimes: number[] = [];
  private faults: Fault[] = [];
  private byKey = new Map<string, { hash: string; id: string }>();
  private server: Server | null = null;
  url = "";

  /** Scripts the next calls' faults, in order; calls beyond the list succeed. */
  script(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  acceptedByKey(key: string): AcceptedEmail[] {
    return this.accepted.filter((a) => a.idempotencyKey === key);
  }

  reset(): void {
    this.accepted.length = 0;
    this.requests = 0;
    this.requestTimes.length = 0;
    this.faults = [];
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
    if (req.headers.authorization !== "Bearer re_test_key") {
      return send(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
    }
    if (req.method !== "POST" || req.url !== "/emails") return send(404, { statusCode: 404, name: "not_found", message: "Not found" });

    this.requests += 1;
    this.requestTimes.push(Date.now());
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
}
