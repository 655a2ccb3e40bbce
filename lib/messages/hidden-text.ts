// Text in an inbound email that a person reading it would not see, but an agent
// reading the raw content would: invisible characters (zero-width, bidi controls,
// Unicode tag characters that smuggle ASCII), HTML styled invisible (display:none,
// visibility:hidden, font-size:0, opacity:0, text coloured like its background,
// off-screen positions, hidden classes from <style>), HTML comments, and text placed
// after the quoted part of a reply (mail clients collapse it). The MCP server flags
// it beside the message; screening (SPEC §13) reuses it.
//
// Attacker text: every field is capped before it is looked at, and every pass is a
// single left-to-right scan (indexOf and character loops, no backtracking patterns),
// so the worst case at the cap is linear. Pure, no I/O: safe in any runtime.

export type HiddenTextKind = "invisible_characters" | "invisible_html" | "html_comment" | "after_quote";
export type HiddenTextField = "subject" | "from" | "snippet" | "text" | "html" | "filename";

export type HiddenTextFinding = {
  kind: HiddenTextKind;
  field: HiddenTextField;
  /** Characters of hidden text found (for invisible characters: how many). */
  chars: number;
  /** Why it is hidden, e.g. "display:none" or "U+200B zero-width space". */
  reason: string;
  /** The start of the hidden text, whitespace collapsed (decoded for tag characters); attacker-controlled. */
  sample: string;
};

export type HiddenTextReport = { found: boolean; findings: HiddenTextFinding[]; truncated: boolean };

/** Characters of one field that are scanned; the rest is reported as truncated. */
export const MAX_SCAN_CHARS = 1_000_000;
const SAMPLE_CHARS = 160;
const MAX_STACK = 512;
const MAX_FINDINGS_PER_FIELD = 5;

// ---------------------------------------------------------------- characters

const INVISIBLE_RANGES: [number, number, string][] = [
  [0x00ad, 0x00ad, "soft hyphen"],
  [0x034f, 0x034f, "combining grapheme joiner"],
  [0x061c, 0x061c, "Arabic letter mark"],
  [0x115f, 0x1160, "Hangul filler"],
  [0x17b4, 0x17b5, "Khmer inherent vowel"],
  [0x180b, 0x180f, "Mongolian variation selector"],
  [0x200b, 0x200f, "zero-width or direction mark"],
  [0x202a, 0x202e, "bidirectional override"],
  [0x2060, 0x2064, "word joiner or invisible operator"],
  [0x2066, 0x206f, "bidirectional isolate or deprecated format character"],
  [0x3164, 0x3164, "Hangul filler"],
  [0xfeff, 0xfeff, "zero-width no-break space"],
  [0xffa0, 0xffa0, "halfwidth Hangul filler"],
  [0x1bca0, 0x1bca3, "shorthand format control"],
  [0x1d173, 0x1d17a, "musical format control"],
  [0xe0000, 0xe007f, "Unicode tag character"],
  [0xe0100, 0xe01ef, "variation selector supplement"],
];

/** For the Basic Multilingual Plane: 1 + the index of the range each code unit falls in, else 0. */
const BMP_TABLE = (() => {
  const table = new Uint8Array(0x10000);
  INVISIBLE_RANGES.forEach(([lo, hi], index) => {
    for (let cp = lo; cp <= Math.min(hi, 0xffff); cp++) table[cp] = index + 1;
  });
  return table;
})();

function invisibleName(cp: number): string | null {
  if (cp <= 0xffff) {
    const index = BMP_TABLE[cp];
    return index ? INVISIBLE_RANGES[index - 1][2] : null;
  }
  for (const [lo, hi, name] of INVISIBLE_RANGES) if (cp >= lo && cp <= hi) return name;
  return null;
}

const isEmojiLike = (cp: number) => cp >= 0x1f000 || (cp >= 0x2600 && cp <= 0x27bf) || cp === 0xfe0f;

/**
 * Invisible characters in one string. A zero-width joiner between emoji (family and
 * flag sequences) and a byte-order mark at the very start are ordinary and skipped.
 * Unicode tag characters (U+E0020–E007E mirror ASCII) are decoded into the sample,
 * since that is how text is smuggled past a human reader.
 */
export function findInvisibleCharacters(value: string, field: HiddenTextField): HiddenTextFinding | null {
  const end = Math.min(value.length, MAX_SCAN_CHARS);
  let count = 0;
  const reasons = new Set<string>();
  const seen = new Set<number>();
  let smuggled = "";
  let prev = 0;
  for (let i = 0; i < end; i++) {
    let cp = value.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < end) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    const name = invisibleName(cp);
    if (name && !(cp === 0x200d && isEmojiLike(prev)) && !(cp === 0xfeff && i === 0)) {
      count++;
      if (reasons.size < 4 && !seen.has(cp)) {
        seen.add(cp);
        reasons.add(`U+${cp.toString(16).toUpperCase().padStart(4, "0")} ${name}`);
      }
      if (cp >= 0xe0020 && cp <= 0xe007e && smuggled.length < SAMPLE_CHARS) smuggled += String.fromCharCode(cp - 0xe0000);
    }
    prev = cp;
  }
  if (count === 0) return null;
  return { kind: "invisible_characters", field, chars: count, reason: [...reasons].join(", "), sample: smuggled };
}

// ---------------------------------------------------------------- plain text

const ATTRIBUTION_ENDINGS = ["wrote:", "schrieb:", "a écrit :", "a écrit:", "escribió:", "ha scritto:", "escreveu:", "schreef:", "skrev:", "napisał:"];

function isQuoteLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ">") return true;
    if (c !== " " && c !== "\t") return false;
  }
  return false;
}

function isAttribution(line: string): boolean {
  const t = line.trim();
  if (t.length > 400) return false;
  if (t === "-----Original Message-----" || t.startsWith("-----Original Message") || t.startsWith("---------- Forwarded message")) return true;
  const lower = t.toLowerCase();
  return ATTRIBUTION_ENDINGS.some((e) => lower.endsWith(e)) && /^(on|am|le|el|il|em|op|den|w) /i.test(t.slice(0, 4));
}

/**
 * Text after the quoted part of a top-posted reply: "reply, attribution, > quoted
 * lines, then more text". Clients fold the quote and what follows, so a person
 * rarely sees it. A bottom-posted reply (quote first, answer below) is not flagged.
 */
export function findTextAfterQuote(text: string): HiddenTextFinding | null {
  const body = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  let before = 0;
  let quoteStarted = false;
  let lastQuoteEnd = -1;
  let pos = 0;
  while (pos <= body.length) {
    let next = body.indexOf("\n", pos);
    if (next === -1) next = body.length;
    const line = body.slice(pos, next);
    if (isQuoteLine(line)) {
      quoteStarted = true;
      lastQuoteEnd = next;
    } else if (!quoteStarted) {
      if (isAttribution(line)) {
        // An Outlook-style header block quotes everything after it, without ">".
        if (line.trim().startsWith("-----") || line.trim().startsWith("----------")) return null;
        quoteStarted = true;
        lastQuoteEnd = next;
      } else if (line.trim()) before += line.trim().length;
    }
    pos = next + 1;
  }
  if (!quoteStarted || before === 0 || lastQuoteEnd < 0) return null;
  const after = body.slice(lastQuoteEnd).trim();
  if (!after) return null;
  // A signature below the quote ("-- " line) is ordinary.
  if (after.startsWith("-- \n") || after === "--") return null;
  return {
    kind: "after_quote",
    field: "text",
    chars: after.length,
    reason: "text after the quoted part of the reply (mail clients fold it away)",
    sample: collapse(after),
  };
}

// ---------------------------------------------------------------- HTML

type ElementState = {
  name: string;
  hidden: string | null;
  color: string | null;
  background: string | null;
  quote: boolean;
};

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"]);
/** Elements whose content is never rendered as text. */
const RAW_TEXT = new Set(["script", "style", "title", "textarea", "noscript", "template", "xmp"]);
const QUOTE_CLASSES = ["gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote", "zmail_extra"];
const QUOTE_IDS = ["divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container"];

const NAMED_COLORS: Record<string, string> = {
  white: "#ffffff",
  black: "#000000",
  red: "#ff0000",
  green: "#008000",
  blue: "#0000ff",
  yellow: "#ffff00",
  gray: "#808080",
  grey: "#808080",
  silver: "#c0c0c0",
  whitesmoke: "#f5f5f5",
  snow: "#fffafa",
  ivory: "#fffff0",
};

function isHexDigit(c: string): boolean {
  return (c >= "0" && c <= "9") || (c >= "a" && c <= "f");
}

/** A CSS colour as #rrggbb, "transparent", or null when it is not one we can compare. */
export function normalizeColor(raw: string): string | null {
  const v = raw.trim().toLowerCase();
  if (v.length > 64) return null;
  if (v === "transparent") return "transparent";
  if (v in NAMED_COLORS) return NAMED_COLORS[v];
  if (v[0] === "#") {
    const hex = v.slice(1);
    if (![...hex].every(isHexDigit)) return null;
    if (hex.length === 3 || hex.length === 4) return `#${hex[0]}${hex[0]}${hex[1]}${hex[1]}${hex[2]}${hex[2]}`;
    if (hex.length === 6 || hex.length === 8) return `#${hex.slice(0, 6)}`;
    return null;
  }
  if (v.startsWith("rgb")) {
    const open = v.indexOf("(");
    const close = v.indexOf(")", open);
    if (open < 0 || close < 0) return null;
    const parts = v.slice(open + 1, close).split(/[\s,/]+/).filter(Boolean);
    if (parts.length < 3) return null;
    if (parts.length >= 4 && Number.parseFloat(parts[3]) === 0) return "transparent";
    const rgb = parts.slice(0, 3).map((p) => (p.endsWith("%") ? Math.round(Number.parseFloat(p) * 2.55) : Number.parseInt(p, 10)));
    if (rgb.some((n) => !Number.isFinite(n) || n < 0 || n > 255)) return null;
    return `#${rgb.map((n) => n.toString(16).padStart(2, "0")).join("")}`;
  }
  return null;
}

type StyleFacts = { hidden: string | null; color: string | null; background: string | null };

/** Declarations of one style attribute or rule body, split by ";" and ":" (no patterns). */
export function readStyle(style: string): StyleFacts {
  const facts: StyleFacts = { hidden: null, color: null, background: null };
  const decls: Record<string, string> = {};
  for (const decl of style.slice(0, 20_000).split(";")) {
    const colon = decl.indexOf(":");
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    let value = decl.slice(colon + 1).trim().toLowerCase();
    const bang = value.indexOf("!");
    if (bang >= 0) value = value.slice(0, bang).trim();
    decls[prop] = value;
  }
  const num = (v: string | undefined) => (v === undefined ? Number.NaN : Number.parseFloat(v));
  const hide = (reason: string) => {
    facts.hidden ??= reason;
  };
  if (decls.display === "none") hide("display:none");
  if (decls.visibility === "hidden" || decls.visibility === "collapse") hide(`visibility:${decls.visibility}`);
  if (decls["mso-hide"] === "all") hide("mso-hide:all");
  if (decls.opacity !== undefined && num(decls.opacity) < 0.1) hide(`opacity:${decls.opacity}`);
  if (decls["font-size"] !== undefined) {
    const size = num(decls["font-size"]);
    const unit = decls["font-size"].replace(/^[\d.\s]+/, "");
    const tiny = unit === "em" || unit === "rem" ? size < 0.1 : unit === "%" ? size < 10 : size < 1;
    if (Number.isFinite(size) && tiny) hide(`font-size:${decls["font-size"]}`);
  }
  const overflowHidden = decls.overflow === "hidden";
  for (const prop of ["max-height", "height", "max-width", "width"]) {
    if (overflowHidden && decls[prop] !== undefined && num(decls[prop]) === 0) hide(`${prop}:0 with overflow:hidden`);
  }
  if (decls.position === "absolute" || decls.position === "fixed") {
    for (const prop of ["left", "top"]) if (num(decls[prop]) <= -500) hide(`positioned off-screen (${prop}:${decls[prop]})`);
  }
  if (num(decls["text-indent"]) <= -500) hide(`text-indent:${decls["text-indent"]}`);
  if (decls["clip-path"] !== undefined && decls["clip-path"].startsWith("inset(50%")) hide("clip-path:inset(50%)");
  if (decls.color !== undefined) facts.color = normalizeColor(decls.color);
  const bg = decls["background-color"] ?? decls.background;
  if (bg !== undefined) {
    // "background: #fff url(x) no-repeat" — the colour is one of the words.
    for (const word of bg.split(" ")) {
      const c = normalizeColor(word);
      if (c) {
        facts.background = c;
        break;
      }
    }
  }
  return facts;
}

function indexOfIgnoreCase(haystack: string, needleLower: string, from: number): number {
  const first = needleLower.charCodeAt(0);
  for (let i = from; i <= haystack.length - needleLower.length; i++) {
    if ((haystack.charCodeAt(i) | 0x20) !== first) continue;
    let ok = true;
    for (let j = 1; j < needleLower.length; j++) {
      const c = haystack.charCodeAt(i + j);
      const n = needleLower.charCodeAt(j);
      if (c !== n && (c | 0x20) !== n) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
  }
  return -1;
}

/** Simple class rules of a <style> block (".x { display:none }", ".a, .b {…}") that hide. */
function hiddenClassesOf(css: string, into: Map<string, string>): void {
  let pos = 0;
  while (pos < css.length) {
    const open = css.indexOf("{", pos);
    if (open < 0) break;
    const close = css.indexOf("}", open);
    if (close < 0) break;
    const selectors = css.slice(pos, open);
    const facts = readStyle(css.slice(open + 1, close));
    if (facts.hidden) {
      for (const sel of selectors.split(",")) {
        const s = sel.trim();
        // Only a bare class selector: ".preheader" — anything else could match nothing.
        if (s.length > 1 && s.length < 100 && s[0] === "." && [...s.slice(1)].every((c) => /[\w-]/.test(c))) into.set(s.slice(1).toLowerCase(), facts.hidden);
      }
    }
    pos = close + 1;
  }
}

type Attributes = Record<string, string>;

/** Reads a start tag from "<" at `start`; returns its name, attributes and the index after ">". */
function readTag(html: string, start: number): { name: string; attrs: Attributes; end: number; selfClosing: boolean } {
  let i = start + 1;
  let name = "";
  while (i < html.length) {
    const c = html[i];
    if (c === ">" || c === "/" || c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") break;
    name += c;
    i++;
  }
  const attrs: Attributes = {};
  let selfClosing = false;
  while (i < html.length) {
    const c = html[i];
    if (c === ">") return { name: name.toLowerCase(), attrs, end: i + 1, selfClosing };
    if (c === "/") {
      selfClosing = html[i + 1] === ">";
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") {
      i++;
      continue;
    }
    let attr = "";
    while (i < html.length && !" \t\n\r\f=>/".includes(html[i])) attr += html[i++];
    while (i < html.length && " \t\n\r\f".includes(html[i])) i++;
    let value = "";
    if (html[i] === "=") {
      i++;
      while (i < html.length && " \t\n\r\f".includes(html[i])) i++;
      const q = html[i];
      if (q === '"' || q === "'") {
        const endQuote = html.indexOf(q, i + 1);
        const stop = endQuote < 0 ? html.length : endQuote;
        value = html.slice(i + 1, stop);
        i = stop + 1;
      } else {
        const from = i;
        while (i < html.length && !" \t\n\r\f>".includes(html[i])) i++;
        value = html.slice(from, i);
      }
    }
    if (attr) attrs[attr.toLowerCase()] = value;
  }
  return { name: name.toLowerCase(), attrs, end: html.length, selfClosing };
}

function decodeEntities(text: string): string {
  return text
    .replaceAll("&nbsp;", " ")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

function collapse(text: string): string {
  const flat = text.slice(0, SAMPLE_CHARS * 4).split(/\s+/).filter(Boolean).join(" ");
  return flat.length > SAMPLE_CHARS ? `${flat.slice(0, SAMPLE_CHARS - 1)}…` : flat;
}

class Collector {
  chars = 0;
  sample = "";
  readonly reasons = new Set<string>();
  add(text: string, reason: string | null) {
    const visible = decodeEntities(text).trim();
    if (!visible) return;
    this.chars += visible.length;
    if (reason && this.reasons.size < 4) this.reasons.add(reason);
    if (this.sample.length < SAMPLE_CHARS) this.sample += `${this.sample ? " " : ""}${visible.slice(0, SAMPLE_CHARS * 2)}`;
  }
}

/**
 * One pass over the HTML: a small tokenizer keeps a stack of open elements with what
 * they inherit (hidden or not, text colour, background colour, inside a quote), and
 * sorts every piece of text into visible, hidden, or after the quoted part.
 */
export function findHiddenHtml(input: string): HiddenTextFinding[] {
  const html = input.length > MAX_SCAN_CHARS ? input.slice(0, MAX_SCAN_CHARS) : input;
  const hiddenClasses = new Map<string, string>();
  // <style> rules apply to the whole document, wherever the block is.
  for (let at = indexOfIgnoreCase(html, "<style", 0); at >= 0; at = indexOfIgnoreCase(html, "<style", at + 6)) {
    const open = html.indexOf(">", at);
    if (open < 0) break;
    const close = indexOfIgnoreCase(html, "</style", open);
    hiddenClassesOf(html.slice(open + 1, close < 0 ? html.length : close), hiddenClasses);
    if (close < 0) break;
    at = close;
  }

  const root: ElementState = { name: "#root", hidden: null, color: "#000000", background: "#ffffff", quote: false };
  const stack: ElementState[] = [root];
  const openCount = new Map<string, number>();
  const hidden = new Collector();
  const comments = new Collector();
  const after = new Collector();
  let visibleBefore = 0;
  let quotesClosed = 0;
  let quoteDepth = 0;

  const push = (el: ElementState) => {
    if (stack.length >= MAX_STACK) return;
    stack.push(el);
    openCount.set(el.name, (openCount.get(el.name) ?? 0) + 1);
    if (el.quote) quoteDepth++;
  };
  const popTo = (name: string) => {
    if (!openCount.get(name)) return;
    while (stack.length > 1) {
      const el = stack.pop()!;
      openCount.set(el.name, openCount.get(el.name)! - 1);
      if (el.quote) {
        quoteDepth--;
        if (quoteDepth === 0) quotesClosed++;
      }
      if (el.name === name) return;
    }
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > i) {
      const text = html.slice(i, textEnd);
      const top = stack[stack.length - 1];
      const invisibleByColor = top.color !== null && top.background !== null && (top.color === "transparent" || top.color === top.background);
      if (top.hidden || invisibleByColor) {
        hidden.add(text, top.hidden ?? `text colour ${top.color} on background ${top.background}`);
      } else if (quoteDepth === 0) {
        if (quotesClosed === 0) visibleBefore += decodeEntities(text).trim().length;
        else after.add(text, null);
      }
    }
    if (lt < 0) break;
    const next = html[lt + 1];
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      const body = html.slice(lt + 4, end < 0 ? html.length : end);
      const t = body.trim();
      // Outlook's conditional comments are layout, not text.
      if (!t.startsWith("[if") && !t.startsWith("<![endif]") && !t.startsWith("[endif]")) comments.add(body, "HTML comment");
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (next === "!" || next === "?") {
      const end = html.indexOf(">", lt);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    if (next === "/") {
      const end = html.indexOf(">", lt);
      const name = html
        .slice(lt + 2, end < 0 ? html.length : end)
        .trim()
        .toLowerCase();
      popTo(name);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    if (!next || !/[a-zA-Z]/.test(next)) {
      // A lone "<" is text.
      i = lt + 1;
      continue;
    }
    const tag = readTag(html, lt);
    i = tag.end;
    if (RAW_TEXT.has(tag.name)) {
      const close = indexOfIgnoreCase(html, `</${tag.name}`, i);
      const stop = close < 0 ? html.length : close;
      if (tag.name === "textarea" || tag.name === "noscript") {
        // Their text is shown (textarea) or may be; treat it like the parent's text.
        const top = stack[stack.length - 1];
        if (top.hidden) hidden.add(html.slice(i, stop), top.hidden);
      }
      const end = close < 0 ? html.length : html.indexOf(">", close);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    if (VOID.has(tag.name) || tag.selfClosing) continue;
    const parent = stack[stack.length - 1];
    const style = tag.attrs.style ? readStyle(tag.attrs.style) : { hidden: null, color: null, background: null };
    let hiddenReason = parent.hidden ?? style.hidden;
    if (!hiddenReason && "hidden" in tag.attrs) hiddenReason = "hidden attribute";
    const classes = (tag.attrs.class ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 20);
    if (!hiddenReason) {
      for (const c of classes) {
        const reason = hiddenClasses.get(c);
        if (reason) {
          hiddenReason = `class "${c}" (${reason})`;
          break;
        }
      }
    }
    const attrColor = tag.name === "font" && tag.attrs.color ? normalizeColor(tag.attrs.color) : null;
    const attrBackground = tag.attrs.bgcolor ? normalizeColor(tag.attrs.bgcolor) : null;
    const background = style.background ?? attrBackground;
    const id = (tag.attrs.id ?? "").toLowerCase();
    push({
      name: tag.name,
      hidden: hiddenReason,
      color: style.color ?? attrColor ?? parent.color,
      // A transparent background shows the parent's.
      background: background && background !== "transparent" ? background : parent.background,
      quote: tag.name === "blockquote" || classes.some((c) => QUOTE_CLASSES.includes(c)) || QUOTE_IDS.includes(id),
    });
  }

  const findings: HiddenTextFinding[] = [];
  if (hidden.chars > 0) {
    findings.push({ kind: "invisible_html", field: "html", chars: hidden.chars, reason: [...hidden.reasons].join("; "), sample: collapse(hidden.sample) });
  }
  if (comments.chars > 0) {
    findings.push({ kind: "html_comment", field: "html", chars: comments.chars, reason: "text inside HTML comments", sample: collapse(comments.sample) });
  }
  if (after.chars > 0 && visibleBefore > 0) {
    findings.push({
      kind: "after_quote",
      field: "html",
      chars: after.chars,
      reason: "text after the quoted part of the reply (mail clients fold it away)",
      sample: collapse(after.sample),
    });
  }
  return findings;
}

// ---------------------------------------------------------------- the report

export type ScanInput = {
  subject?: string | null;
  fromName?: string | null;
  snippet?: string | null;
  text?: string | null;
  html?: string | null;
  filenames?: string[];
};

/** Every finding for one message's fields; `truncated` when a field was longer than MAX_SCAN_CHARS. */
export function scanHiddenText(input: ScanInput): HiddenTextReport {
  const findings: HiddenTextFinding[] = [];
  let truncated = false;
  const chars = (value: string | null | undefined, field: HiddenTextField) => {
    if (!value) return;
    if (value.length > MAX_SCAN_CHARS) truncated = true;
    const f = findInvisibleCharacters(value, field);
    if (f) findings.push(f);
  };
  chars(input.subject, "subject");
  chars(input.fromName, "from");
  chars(input.snippet, "snippet");
  chars(input.text, "text");
  chars(input.html, "html");
  for (const name of (input.filenames ?? []).slice(0, 100)) chars(name, "filename");
  if (input.text) {
    const f = findTextAfterQuote(input.text);
    if (f) findings.push(f);
  }
  if (input.html) findings.push(...findHiddenHtml(input.html).slice(0, MAX_FINDINGS_PER_FIELD));
  return { found: findings.length > 0, findings, truncated };
}
