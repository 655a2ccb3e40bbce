// A customer's webhook receiver on loopback: records every request and answers
// with the scripted statuses in turn (200 once the script is used up).
import http from "node:http";

export type Received = { headers: http.IncomingHttpHeaders; body: string };

export class WebhookReceiver {
  readonly received: Received[] = [];
  private server: http.Server | null = null;
  constructor(private script: number[] = []) {}

  async start(port: number): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.statusCode = this.script.shift() ?? 200;
        res.end("ok");
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, "127.0.0.1", () => resolve());
    });
    return `http://127.0.0.1:${port}/hooks`;
  }

  respondWith(statuses: number[]): void {
    this.script = [...statuses];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
