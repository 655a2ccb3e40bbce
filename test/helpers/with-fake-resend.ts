// Points the app at a fake Resend for one test file: MAIL_PROVIDER=resend with the
// test key while the file runs; each case starts with an empty outbox, no scripted
// faults and a fresh provider state (no pacing hold, no pause).
import { afterAll, beforeAll, beforeEach } from "vitest";
import { getDb } from "@/lib/db";
import { exportEnv, readRawEnv } from "@/lib/env";
import { FakeResend } from "@/test/helpers/fake-resend";

export function withFakeResend(): FakeResend {
  const fake = new FakeResend();
  const previous = { MAIL_PROVIDER: readRawEnv("MAIL_PROVIDER") ?? "local", RESEND_API_KEY: readRawEnv("RESEND_API_KEY") ?? "" };
  beforeAll(async () => {
    await fake.start();
    exportEnv({ MAIL_PROVIDER: "resend", RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: fake.url });
  });
  afterAll(async () => {
    exportEnv(previous);
    await fake.stop();
  });
  beforeEach(async () => {
    fake.reset();
    exportEnv({ RESEND_API_KEY: "re_test_key" });
    await getDb().job.deleteMany({});
    await getDb().providerState.deleteMany({});
  });
  return fake;
}
