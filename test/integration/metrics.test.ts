// GET /api/metrics: hidden (404) without SAIRAPH_METRICS_TOKEN, 401 without the right
// token, and with it the Prometheus text whose counters move after a send. The
// readiness check wants every migration applied and a job worker that beat recently.
import { afterAll, describe, expect, it } from "vitest";
import * as health from "@/app/api/health/route";
import * as metrics from "@/app/api/metrics/route";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { exportEnv } from "@/lib/env";
import { beat, removeHeartbeat } from "@/lib/jobs/heartbeat";
import { createOutboxWorker } from "@/lib/outbound/outbox-worker";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

const TOKEN = "metrics-token-for-the-test-0123456789";

afterAll(() => exportEnv({ SAIRAPH_METRICS_TOKEN: "" }));

const scrape = (authorization?: string) =>
  call(metrics.GET, "GET", "/api/metrics", { headers: authorization ? { authorization } : {} });

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("GET /api/metrics", () => {
  it("is not found while SAIRAPH_METRICS_TOKEN is unset, even with a token", async () => {
    exportEnv({ SAIRAPH_METRICS_TOKEN: "" });
    for (const res of [await scrape(), await scrape(`Bearer ${TOKEN}`)]) {
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("answers 401 in the error shape without the token or with a wrong one", async () => {
    exportEnv({ SAIRAPH_METRICS_TOKEN: TOKEN });
    for (const auth of [undefined, "Bearer wrong", `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
      const res = await scrape(auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.json).toMatchObject({ error: { code: "unauthorized", requestId: expect.stringMatching(/^req_/) } });
      expect(res.text).not.toContain("sairaph_");
    }
  });

  it("serves the Prometheus text with the token; key authentications, the outbox and deliveries move after a send", async () => {
    exportEnv({ SAIRAPH_METRICS_TOKEN: TOKEN });
    const world = await createTestWorld();
    const before = await scrape(`Bearer ${TOKEN}`);
    expect(before.status).toBe(200);
    expect(before.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      "sairaph_http_request_duration_seconds",
      "sairaph_outbox_jobs",
      "sairaph_outbox_oldest_due_age_seconds",
      "sairaph_deliveries_total",
      "sairaph_inbound_messages_total",
      "sairaph_webhook_deliveries_total",
      "sairaph_key_authentications_total",
    ]) {
      expect(before.text).toContain(`# TYPE ${name} `);
    }

    const sent = await call(messages.POST, "POST", "/x", {
      key: world.keys.read_write,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["ann@example.com"], subject: "Hello", text: "Hi" },
    });
    expect(sent.status).toBe(202);
    const refused = await call(messages.POST, "POST", "/x", {
      key: `${world.keys.read_write.slice(0, -4)}AAAA`,
      params: { mailboxId: world.mailbox.id },
      body: { to: ["ann@example.com"], subject: "Hello", text: "Hi" },
    });
    expect(refused.status).toBe(401);
    const queued = (await scrape(`Bearer ${TOKEN}`)).text;
    expect(sample(queued, 'sairaph_outbox_jobs{state="pending"}')).toBe(sample(before.text, 'sairaph_outbox_jobs{state="pending"}') + 1);
    expect(sample(queued, 'sairaph_key_authentications_total{result="ok"}')).toBe(sample(before.text, 'sairaph_key_authentications_total{result="ok"}') + 1);
    expect(sample(queued, 'sairaph_key_authentications_total{result="unauthorized"}')).toBe(
      sample(before.text, 'sairaph_key_authentications_total{result="unauthorized"}') + 1,
    );

    const worker = createOutboxWorker();
    while ((await worker.runOnce()) > 0);
    const after = (await scrape(`Bearer ${TOKEN}`)).text;
    expect(sample(after, 'sairaph_deliveries_total{result="sent"}')).toBe(sample(before.text, 'sairaph_deliveries_total{result="sent"}') + 1);
    expect(sample(after, 'sairaph_outbox_jobs{state="pending"}')).toBe(sample(before.text, 'sairaph_outbox_jobs{state="pending"}'));
    expect(sample(after, "sairaph_outbox_oldest_due_age_seconds")).toBe(0);
  });
});

describe("GET /api/health?ready=1", () => {
  const ready = () => call(health.GET, "GET", "/api/health", { query: { ready: "1" } });

  it("is not ready without a job worker, and ready once one beats; plain /api/health stays liveness", async () => {
    await removeHeartbeat("none");
    const without = await ready();
    expect(without.status).toBe(503);
    expect(without.json).toMatchObject({ ready: false, migrations: "applied", worker: { status: "none" } });
    expect((await call(health.GET, "GET", "/api/health")).status).toBe(200);

    await beat("test-worker");
    const withWorker = await ready();
    expect(withWorker.status).toBe(200);
    expect(withWorker.json).toMatchObject({ status: "ok", ready: true, migrations: "applied", worker: { status: "ok" } });
    await removeHeartbeat("test-worker");
  });
});
