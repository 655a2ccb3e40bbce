import { describe, expect, it } from "vitest";
import { redactAddresses } from "@/lib/privacy/redact-addresses";

describe("redactAddresses", () => {
  it("replaces every address-like token and keeps the rest of the text", () => {
    expect(redactAddresses("550 5.1.1 <ann@example.com>: user unknown")).toBe("550 5.1.1 <<address>>: user unknown");
    expect(redactAddresses("to: Bob.Smith+tag@sub.example.co.uk, 'x@y.z'")).toBe("to: <address>, '<address>'");
    expect(redactAddresses("Resend 429 rate_limit_exceeded: slow down")).toBe("Resend 429 rate_limit_exceeded: slow down");
  });
});
