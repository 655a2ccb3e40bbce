// Bounces and complaints that arrive as mail (SPEC §4, §5): a DSN (RFC 3464,
// multipart/report; report-type=delivery-status) or an ARF report (RFC 5965,
// message/feedback-report), read from the parts postal-mime already separated.
// Attacker text: every scan is a single indexOf pass over a capped slice (64 KB); no
// backtracking regular expression runs over it.
import type { MessageContent } from "@/lib/messages/message-content";
import { messageIds } from "@/lib/inbound/parse-email";

const MAX_REPORT_BYTES = 64 * 1024;
const MAX_REPORT_RECIPIENTS = 100;
const MAX_FIELD_LENGTH = 1000;

export type DsnAction = "failed" | "delayed" | "delivered" | "relayed" | "expanded";

export type BounceRecipient = { address: string; action: DsnAction; status: string | null; diagnostic: string | null };

export type DeliveryReport =
  | { kind: "bounce"; originalMessageId: string | null; recipients: BounceRecipient[] }
  | { kind: "complaint"; feedbackType: string; originalMessageId: string | null; recipients: string[] };

type Field = { name: string; value: string };

/** RFC 822-style fields in groups separated by blank lines, folded lines joined. */
export function parseFieldGroups(text: string, maxGroups = MAX_REPORT_RECIPIENTS + 1): Field[][] {
  const groups: Field[][] = [];
  let group: Field[] = [];
  let start = 0;
  const slice = text.length > MAX_REPORT_BYTES ? text.slice(0, MAX_REPORT_BYTES) : text;
  while (start <= slice.length && groups.length < maxGroups) {
    let end = slice.indexOf("\n", start);
    if (end < 0) end = slice.length;
    const line = slice.slice(start, end).replace(/\r$/, "");
    start = end + 1;
    if (line.trim() === "") {
      if (group.length) groups.push(group);
      group = [];
      if (end === slice.length) break;
      continue;
    }
    if ((line[0] === " " || line[0] === "\t") && group.length) {
      const last = group[group.length - 1];
      if (last.value.length < MAX_FIELD_LENGTH) last.value = `${last.value} ${line.trim()}`.slice(0, MAX_FIELD_LENGTH);
    } else {
      const colon = line.indexOf(":");
      if (colon > 0) group.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim().slice(0, MAX_FIELD_LENGTH) });
    }
    if (end === slice.length) break;
  }
  if (group.length && groups.length < maxGroups) groups.push(group);
  return groups;
}

const field = (group: Field[], name: string) => group.find((f) => f.name === name)?.value ?? null;

/** "rfc822; Ann@Example.com" or "<ann@example.com>" → "ann@example.com". */
function addressOf(value: string | null): string | null {
  if (!value) return null;
  const semicolon = value.indexOf(";");
  let address = (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim();
  if (address.startsWith("<") && address.endsWith(">")) address = address.slice(1, -1).trim();
  return address.includes("@") && address.length <= 320 ? address.toLowerCase() : null;
}

/** The Message-ID of the returned message or its headers (message/rfc822 or text/rfc822-headers). */
function returnedMessageId(content: MessageContent): string | null {
  const part = content.attachments.find((a) =>
    ["message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"].includes(a.contentType.toLowerCase()),
  );
  if (!part) return null;
  const head = part.content.subarray(0, MAX_REPORT_BYTES).toString("utf8");
  // parseFieldGroups stops at the first blank line: the returned message's header section.
  const [headers] = parseFieldGroups(head, 1);
  return messageIds(field(headers ?? [], "message-id") ?? undefined)[0] ?? null;
}

function topContentType(content: MessageContent): string {
  const header = content.headers.find(([name]) => name.toLowerCase() === "content-type");
  return (header?.[1] ?? "").slice(0, 2000).toLowerCase();
}

function partText(content: MessageContent, types: string[]): string | null {
  const part = content.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
  return part ? part.content.subarray(0, MAX_REPORT_BYTES).toString("utf8") : null;
}

const ACTIONS = new Set<DsnAction>(["failed", "delayed", "delivered", "relayed", "expanded"]);

/** The report a message carries, or null for ordinary mail. */
export function parseDeliveryReport(content: MessageContent): DeliveryReport | null {
  if (!topContentType(content).startsWith("multipart/report")) return null;

  const dsn = partText(content, ["message/delivery-status", "message/global-delivery-status"]);
  if (dsn !== null) {
    const [, ...perRecipient] = parseFieldGroups(dsn);
    const recipients: BounceRecipient[] = [];
    for (const group of perRecipient) {
      const address = addressOf(field(group, "final-recipient")) ?? addressOf(field(group, "original-recipient"));
      const action = (field(group, "action") ?? "").toLowerCase() as DsnAction;
      if (!address || !ACTIONS.has(action)) continue;
      const status = field(group, "status");
      const diagnostic = field(group, "diagnostic-code");
      const semicolon = diagnostic?.indexOf(";") ?? -1;
      recipients.push({
        address,
        action,
        status: status ? status.split(" ")[0] : null,
        diagnostic: diagnostic ? diagnostic.slice(semicolon + 1).trim() : null,
      });
    }
    return { kind: "bounce", originalMessageId: returnedMessageId(content), recipients };
  }

  const arf = partText(content, ["message/feedback-report"]);
  if (arf !== null) {
    const fields = parseFieldGroups(arf).flat();
    const recipients = fields.flatMap((f) => (f.name === "original-rcpt-to" ? [addressOf(f.value)].filter((a): a is string => !!a) : []));
    return {
      kind: "complaint",
      feedbackType: (field(fields, "feedback-type") ?? "abuse").toLowerCase(),
      originalMessageId: returnedMessageId(content),
      recipients: [...new Set(recipients)].slice(0, MAX_REPORT_RECIPIENTS),
    };
  }
  return null;
}

/** A permanent failure (5.x.x): the only kind of bounce that suppresses (SPEC §4). */
export function isHardBounce(recipient: BounceRecipient): boolean {
  return recipient.action === "failed" && recipient.status !== null && recipient.status.startsWith("5.");
}
