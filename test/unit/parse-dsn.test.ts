import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRawEmail } from "@/lib/inbound/parse-email";
import { isHardBounce, parseDeliveryReport, parseFieldGroups } from "@/lib/inbound/parse-dsn";
import { htmlToText } from "@/lib/messages/message-content";
import { testContent } from "@/test/helpers/messages";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures/emails", name));

describe("parseDeliveryReport", () => {
  it("reads a Postfix DSN: the failed recipient, its status and the returned message's Message-ID", async () => {
    const report = parseDeliveryReport(await parseRawEmail(fixture("bounce-dsn-postfix.eml")));
    expect(report).toEqual({
      kind: "bounce",
      originalMessageId: "<e85f1c9b-9b51-4028-8ec0-0a657155028e@app.fastmail.com>",
      recipients: [
        {
          address: "htfgvhyufthdgcvhgjyfthgc@ethereal.email",
          action: "failed",
          status: "5.0.0",
          diagnostic: expect.stringContaining("550"),
        },
      ],
    });
    expect(isHardBounce(report!.kind === "bounce" ? report!.recipients[0] : (null as never))).toBe(true);
  });

  it("reads ARF complaints: Yahoo's and the RFC 5965 example", async () => {
    expect(parseDeliveryReport(await parseRawEmail(fixture("arf-abuse-report-yahoo.eml")))).toEqual({
      kind: "complaint",
      feedbackType: "abuse",
      originalMessageId: "<20120711015015.4A8BE2E088E@www.example.com>",
      recipients: ["user@yahoo.com"],
    });
    expect(parseDeliveryReport(await parseRawEmail(fixture("arf-abuse-report-rfc5965.eml")))).toMatchObject({
      kind: "complaint",
      feedbackType: "abuse",
      // The RFC's example has a blank line inside the returned headers: its Message-ID is in the body.
      originalMessageId: null,
      recipients: ["user@example.com"],
    });
  });

  it("ignores ordinary mail, including a plain multipart/mixed with a forwarded message", async () => {
    for (const file of ["plain-text.eml", "forwarded-message-rfc822.eml", "reply-in-reply-to-references.eml", "calendar-invite-google.eml"]) {
      expect(parseDeliveryReport(await parseRawEmail(fixture(file))), file).toBeNull();
    }
  });

  it("a soft bounce (4.x.x) and a delay are not hard bounces", () => {
    expect(isHardBounce({ address: "a@b.c", action: "failed", status: "4.2.2", diagnostic: null })).toBe(false);
    expect(isHardBounce({ address: "a@b.c", action: "delayed", status: "5.0.0", diagnostic: null })).toBe(false);
    expect(isHardBounce({ address: "a@b.c", action: "failed", status: null, diagnostic: null })).toBe(false);
  });
});

// Worst cases at the maximum size: a quadratic scan would not finish within the test timeout.
describe("linear time on hostile input", () => {
  const MB = 1024 * 1024;

  it("parseFieldGroups and parseDeliveryReport on 25 MB reports of folds, colons and blank lines", () => {
    for (const unit of [" x\n", ":\n", "\n", "a", "Final-Recipient: rfc822; a@b\nAction: failed\n\n"]) {
      const text = unit.repeat(Math.ceil((25 * MB) / unit.length));
      expect(parseFieldGroups(text).length).toBeLessThanOrEqual(101);
      const content = testContent({
        headers: [["Content-Type", "multipart/report; report-type=delivery-status"]],
        attachments: [
          { filename: "r", contentType: "message/delivery-status", content: Buffer.from(text) },
          { filename: "m", contentType: "message/rfc822", content: Buffer.from(text) },
        ],
      });
      const report = parseDeliveryReport(content);
      expect(report?.kind).toBe("bounce");
      if (report?.kind === "bounce") expect(report.recipients.length).toBeLessThanOrEqual(100);
    }
  });

  it("htmlToText on 25 MB of unclosed script tags, bare angle brackets and an endless tag", () => {
    const n = 25 * MB;
    expect(htmlToText("<script>".repeat(n / 8))).toBe(" ".repeat(n / 8));
    expect(htmlToText("<".repeat(n)).length).toBe(n);
    expect(htmlToText(`<a${"b".repeat(n)}`).length).toBe(n + 2);
    expect(htmlToText(`${"<style>x</style>".repeat(n / 16)}tail`).endsWith("tail")).toBe(true);
    expect(htmlToText("<p>Hi &amp; <script>alert(1)</script>bye&nbsp;now</p>")).toBe(" Hi &  bye now ");
  });
});
