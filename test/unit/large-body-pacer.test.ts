// The large-body pacer (issue 16): while the event loop is busy, large bodies together
// are read at BUSY_BYTES_PER_SECOND; while it has room, at full speed. On a virtual clock.
import { describe, expect, it } from "vitest";
import { BURST_BYTES, BUSY_BYTES_PER_SECOND, createLargeBodyPacer } from "@/lib/http/large-body-pacer";

function virtualClock(startBusy: boolean) {
  let busy = startBusy;
  let now = 0;
  let slept = 0;
  return {
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
        slept += ms;
      },
      busy: () => busy,
    },
    slept: () => slept,
    setBusy: (b: boolean) => {
      busy = b;
    },
  };
}

const CHUNK = 64 * 1024;

async function read(pace: (n: number) => Promise<void>, total: number) {
  for (let done = 0; done < total; done += CHUNK) await pace(CHUNK);
}

describe("large-body pacer", () => {
  it("reads 25 MB at the paced rate while the event loop is busy", async () => {
    const v = virtualClock(true);
    await read(createLargeBodyPacer(v.clock), 25 * 1024 * 1024);
    const expected = ((25 * 1024 * 1024 - BURST_BYTES) / BUSY_BYTES_PER_SECOND) * 1000;
    expect(v.slept()).toBeGreaterThanOrEqual(expected - CHUNK / BUSY_BYTES_PER_SECOND * 1000);
    expect(v.slept()).toBeLessThan(expected + 100);
  });

  it("goes back to full speed as soon as the event loop has room again", async () => {
    const v = virtualClock(true);
    const pace = createLargeBodyPacer(v.clock);
    await read(pace, 4 * 1024 * 1024);
    const pausedWhileBusy = v.slept();
    expect(pausedWhileBusy).toBeGreaterThan(0);
    v.setBusy(false);
    await read(pace, 20 * 1024 * 1024);
    expect(v.slept()).toBe(pausedWhileBusy);
  });

  it("never waits while the event loop has room", async () => {
    const v = virtualClock(false);
    await read(createLargeBodyPacer(v.clock), 25 * 1024 * 1024);
    expect(v.slept()).toBe(0);
  });
});
