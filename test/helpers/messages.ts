// Message content for tests: realistic, with overridable parts.
import { randomBytes } from "node:crypto";
import type { MessageContent } from "@/lib/messages/message-content";

export function testContent(overrides: Partial<MessageContent> = {}): MessageContent {
  const id = randomBytes(8).toString("hex");
  return {
    from: { address: "sender@example.org", name: "Sally Sender" },
    to: [{ address: "agent@example.test", name: null }],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: "Quarterly invoice",
    text: "Hello, please find the invoice attached.",
    html: null,
    headers: [["Subject", "Quarterly invoice"]],
    messageId: `<${id}@example.org>`,
    inReplyTo: null,
    references: [],
    attachments: [],
    ...overrides,
  };
}
