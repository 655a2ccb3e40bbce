import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/idempotency/idempotency-records";
import { retryDelayMs } from "@/lib/jobs/claim-jobs";
import { isPermanentBounce, statusesBefore } from "@/lib/outbound/apply-delivery-event";
import { formatAddress, parseAddress } from "@/lib/outbound/addresses";
import { replyRecipients, replyReferences, replySubject } from "@/lib/outbound/reply-message";
import { isAllowedCustomHeader, sendMessageBody } from "@/lib/outbound/schemas";

const base = { to: ["ann@example.com"], subject: "Hello", text: "Hi" };

/** Any string with at least one CR or LF somewhere in it. */
const withLineBreak = fc
  .tuple(fc.string(), fc.constantFrom("\r", "\n", "\r\n", "\0"), fc.string())
  .map(([a, brk, b]) => `${a}${brk}${b}`);

describe("send schema: header injection is refused, never stripped", () => {
  it("any subject with CR, LF or NUL is invalid", () => {
    fc.assert(fc.property(withLineBreak, (subject) => !sendMessageBody.safeParse({ ...base, subject }).success), { numRuns: 500 });
  });

  it("any address (to, cc, bcc, replyTo) with CR, LF or NUL is invalid, also inside a display name", () => {
    fc.assert(
      fc.property(withLineBreak, fc.constantFrom("to", "cc", "bcc", "replyTo"), fc.boolean(), (dirt, field, asName) => {
        const address = asName ? `${dirt} <ann@example.com>` : `ann${dirt}@example.com`;
        return !sendMessageBody.safeParse({ ...base, [field]: [address] }).success;
      }),
      { numRuns: 500 },
    );
  });

  it("any custom header value or name with CR, LF or NUL is invalid", () => {
    fc.assert(
      fc.property(withLineBreak, (value) =>
        !sendMessageBody.safeParse({ ...base, headers: { "X-Custom": value } }).success &&
        !sendMessageBody.safeParse({ ...base, headers: { [`X-${value}`]: "v" } }).success,
      ),
      { numRuns: 500 },
    );
  });

  it("clean values pass", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }).filter((s) => !/[\r\n\0]/.test(s)), (subject) =>
        sendMessageBody.safeParse({ ...base, subject, headers: { "X-Note": subject } }).success,
      ),
      { numRuns: 300 },
    );
  });

  it("custom headers: X-* and informational ones only", () => {
    for (const h of ["From", "to", "CC", "Bcc", "Reply-To", "Return-Path", "Message-ID", "Date", "Sender", "Content-Type", "MIME-Version", "In-Reply-To", "References", "Subject", "DKIM-Signature", "Received", "X-Envelope-To"]) {
      expect(isAllowedCustomHeader(h), h).toBe(false);
    }
    for (const h of ["X-Campaign", "x-entity-ref-id", "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted"]) {
      expect(isAllowedCustomHeader(h), h).toBe(true);
    }
  });
});

describe("addresses", () => {
  it("parses bare and named forms and formats them back", () => {
    expect(parseAddress("ann@example.com")).toEqual({ address: "ann@example.com", name: null });
    expect(parseAddress('"Ann, Example" <ann@example.com>')).toEqual({ address: "ann@example.com", name: "Ann, Example" });
    expect(parseAddress("Ann <ann@example.com>")).toEqual({ address: "ann@example.com", name: "Ann" });
    for (const bad of ["ann", "ann@", "@example.com", "ann@example", "a b@example.com", "<ann@example.com", "Ann <x> <ann@example.com>"]) {
      expect(parseAddress(bad), bad).toBeNull();
    }
    expect(formatAddress({ address: "a@b.co", name: 'Say "hi"' })).toBe('"Say \\"hi\\"" <a@b.co>');
  });
});

describe("reply building", () => {
  const original = {
    direction: "inbound" as const,
    from: { address: "sally@x.org", name: "Sally" },
    to: [{ address: "Me@Box.test" }, { address: "team@x.org" }],
    cc: [{ address: "boss@x.org" }, { address: "sally@x.org" }],
    replyTo: [] as { address: string }[],
  };
  it("answers the sender, or Reply-To; reply-all adds To and Cc minus the mailbox and duplicates", () => {
    expect(replyRecipients(original, "me@box.test", false)).toEqual({ to: [{ address: "sally@x.org", name: "Sally" }], cc: [] });
    const all = replyRecipients(original, "me@box.test", true);
    expect(all.cc.map((p) => p.address)).toEqual(["team@x.org", "boss@x.org"]);
    expect(replyRecipients({ ...original, replyTo: [{ address: "r@x.org" }] }, "me@box.test", false).to).toEqual([{ address: "r@x.org", name: null }]);
    expect(replyRecipients({ ...original, direction: "outbound" }, "me@box.test", false).to.map((p) => p.address)).toEqual(["team@x.org"]);
  });
  it("prefixes Re: once and chains References", () => {
    expect(replySubject("Hello")).toBe("Re: Hello");
    expect(replySubject("RE: Hello")).toBe("RE: Hello");
    expect(replyReferences({ messageId: "<c@x>", references: ["<a@x>", "<b@x>"] })).toEqual(["<a@x>", "<b@x>", "<c@x>"]);
    const long = Array.from({ length: 80 }, (_, i) => `<${i}@x>`);
    const refs = replyReferences({ messageId: "<last@x>", references: long });
    expect(refs).toHaveLength(50);
    expect(refs[0]).toBe("<0@x>");
    expect(refs.at(-1)).toBe("<last@x>");
  });
});

describe("small pieces", () => {
  it("backoff grows exponentially with jitter and a cap", () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(retryDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
  it("canonical JSON ignores key order", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe(canonicalJson({ a: [{ c: null, d: 2 }], b: 1 }));
  });
  it("statuses only move forward; only permanent bounces suppress", () => {
    expect(statusesBefore("sent")).toEqual(["queued"]);
    expect(statusesBefore("delivered")).not.toContain("delivered");
    expect(statusesBefore("sent")).not.toContain("delivered");
    expect(isPermanentBounce({ type: "Permanent" })).toBe(true);
    expect(isPermanentBounce({ type: "Transient" })).toBe(false);
    expect(isPermanentBounce({ type: "Undetermined" })).toBe(false);
    expect(isPermanentBounce(undefined)).toBe(false);
  });
});
