// HTML → text and address parsing keep their meaning after the linear rewrite.
import { describe, expect, it } from "vitest";
import { htmlToText, makeSnippet, normalizeMessageId } from "@/lib/messages/message-content";
import { parseAddress } from "@/lib/outbound/addresses";

describe("htmlToText", () => {
  it("drops tags, scripts, styles and the head, decodes the common entities", () => {
    const html = `<html><head><title>t</title></head><body><style>p{}</style><p>Fish &amp; chips</p><SCRIPT type="x">alert(1)</script ><b>5 &lt; 6</b></body></html>`;
    expect(htmlToText(html).replace(/\s+/g, " ").trim()).toBe("Fish & chips 5 < 6");
  });
  it("keeps a < that opens no tag, and a <header> element's text", () => {
    expect(htmlToText("a < b").trim()).toBe("a < b");
    expect(htmlToText("<header>Hello</header> world").trim()).toBe("Hello  world");
    expect(htmlToText("<script>never closed").trim()).toBe("never closed");
  });
  it("stops at the requested length", () => {
    expect(htmlToText("<p>abcdef</p>".repeat(10), 5)).toHaveLength(5);
  });
  it("snippets of html are whitespace-collapsed and capped", () => {
    expect(makeSnippet({ text: null, html: `<p>Hi   there</p>${"<br>x".repeat(500)}` })).toMatch(/^Hi there x x .*…$/);
  });
});

describe("parseAddress", () => {
  it.each([
    ["a@b.example", { address: "a@b.example", name: null }],
    ["Ann <ann@b.example>", { address: "ann@b.example", name: "Ann" }],
    ['"Doe, \\"J\\"" <j@b.example>', { address: "j@b.example", name: 'Doe, "J"' }],
    ["  <ann@b.example>  ", { address: "ann@b.example", name: null }],
  ])("%s", (input, want) => expect(parseAddress(input)).toEqual(want));
  it.each(["Ann <ann@b.example", "A <b> <ann@b.example>", "<>", "Ann <not an address>", `${"x".repeat(501)}@b.example`, "a@b.example\r\nBcc: x@y.z"])(
    "refuses %s",
    (input) => expect(parseAddress(input)).toBeNull(),
  );
});

describe("normalizeMessageId", () => {
  it("strips brackets and case", () => expect(normalizeMessageId(" <<ABC@x.example>> ")).toBe("abc@x.example"));
});
