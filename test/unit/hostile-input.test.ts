// Item: no request can block the process. Each parser of attacker text gets its worst
// case at the largest size the API accepts. A case runs in a worker thread so that
// a backtracking pattern (the old `<[^>]+>` over 25 MB of "<" would run for hours)
// is stopped and reported as a failure instead of freezing the whole test run; the
// limit is a safety net far above the linear cost, not a speed assertion (speed is
// measured by npm run bench).
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { hostileCases } from "@/test/helpers/hostile-cases";

/** Longest one case may run before it counts as stuck: far above the linear cost. */
const SAFETY_NET_MS = 20_000;

type Outcome = { summary?: string; error?: string };
const outcomes = new Map<string, { promise: Promise<Outcome>; resolve: (o: Outcome) => void }>();
for (const name of Object.keys(hostileCases)) {
  let resolve!: (o: Outcome) => void;
  const promise = new Promise<Outcome>((r) => (resolve = r));
  outcomes.set(name, { promise, resolve });
}

// One worker runs the cases in order; when one runs past the safety net the worker is
// stopped, that case fails as stuck and the ones after it fail as not run.
const worker = new Worker(new URL("../helpers/hostile-worker.mjs", import.meta.url), { execArgv: ["--conditions=react-server"] });
let watchdog: NodeJS.Timeout | undefined;
const stopAll = (reason: (name: string) => string) => {
  void worker.terminate();
  for (const [name, o] of outcomes) o.resolve({ error: reason(name) });
};
worker.on("message", (m: { name: string; started?: boolean } & Outcome) => {
  clearTimeout(watchdog);
  if (m.started) {
    watchdog = setTimeout(() => stopAll((name) => (name === m.name ? `still running after ${SAFETY_NET_MS / 1000}s: super-linear parsing` : `not run: ${m.name} got stuck first`)), SAFETY_NET_MS);
  } else {
    outcomes.get(m.name)!.resolve(m);
  }
});
worker.on("error", (e) => stopAll(() => `worker failed: ${e.message}`));
afterAll(() => {
  clearTimeout(watchdog);
  return worker.terminate();
});

const expected: Record<string, string | RegExp> = {
  "html of <": /^string:\d+$/,
  "snippet of html <": /^<{199}…$/,
  // Only the first 16 KB of text feed the snippet: a message that opens with 25 MB of blanks has none.
  "snippet of whitespace": "string:0",
  "address of spaces": "null",
  "address of spaces then <": "null",
  "address of <": "null",
  "address valid check of a": "false",
  "send schema, address of spaces": "false",
  "send schema, 50 addresses of spaces": "false",
  "attachment fields": "false",
  "custom header name": "false",
  "redact one long word": `string:${1_000_000}`,
  "redact many @": "string:9",
  "message ids of >": `string:${1_000_001}`,
  "message search q": "false",
  "mailbox search q": "false",
  "sign-up email": "false",
  "sign-up email of dots": "false",
  "invitation email": "false",
  "emailed link token": "null",
  "bearer header": "threw:unauthorized",
  "idempotency header": "threw:invalid_idempotency_key",
  "attachment content type": "string:24",
  "domain name": "threw:validation_error",
  "suppression path segment": "threw:error",
  "mime nested 100000 deep": "threw:parts",
  "mime 25 MB of empty lines": "threw:lines",
  "mime the most lines allowed, empty": "string:1",
  "mime the most lines allowed, short": /^string:\d+$/,
  "mime 25 MB in 76-character lines": "string:1",
  "plain text cap": `string:${256 * 1024}`,
};

describe("hostile input at the maximum accepted size finishes", () => {
  it.each(Object.keys(hostileCases))("%s", { timeout: 10 * 60_000 }, async (name) => {
    const { summary, error } = await outcomes.get(name)!.promise;
    expect(error).toBeUndefined();
    const want = expected[name];
    if (want instanceof RegExp) expect(summary).toMatch(want);
    else if (want !== undefined) expect(summary).toBe(want);
  });
});
