"use client";

// Inbound HTML is attacker-controlled. It is sanitised with DOMPurify in the browser
// (DOMPurify needs a DOM: on the server, and before hydration, a placeholder is
// rendered instead, so a full page load never touches it), then shown in an
// <iframe sandbox srcdoc> without allow-scripts, under a CSP that blocks every remote
// load. Remote images stay off until the reader asks for them: their URLs are
// removed from the document (not merely blocked), so nothing is requested and no CSP
// violation is logged.
import DOMPurify from "dompurify";
import { useMemo, useState } from "react";
import { useMounted } from "@/components/use-mounted";

const URL_ATTRIBUTES = ["src", "background", "poster"];
// Linear: anchored, no nested quantifiers.
const REMOTE_URL = /^\s*(?:https?:)?\/\//i;
const REMOTE_CSS_URL = /url\s*\(\s*['"]?\s*(?:https?:)?\/\//i;
const SCRIPTED_CSS = ["expression(", "javascript:", "behavior:", "-moz-binding"];

export function sanitizeEmailHtml(html: string, allowRemote: boolean): { doc: string; hasRemote: boolean } {
  const purify = DOMPurify();
  let hasRemote = false;
  purify.addHook("afterSanitizeAttributes", (node) => {
    if (!(node instanceof Element)) return;
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
    for (const name of URL_ATTRIBUTES) {
      const value = node.getAttribute(name);
      if (value === null) continue;
      if (REMOTE_URL.test(value)) {
        hasRemote = true;
        if (!allowRemote) node.removeAttribute(name);
      } else if (!/^\s*data:/i.test(value)) {
        // A relative URL would resolve against the dashboard itself, and cid: parts
        // are not served into the frame: either would only be a blocked load.
        node.removeAttribute(name);
      }
    }
    const style = node.getAttribute("style");
    if (style !== null) {
      const lower = style.toLowerCase();
      // Legacy script hooks in CSS (IE's expression(), behavior, -moz-binding) and
      // overlong styles go; a remote url() goes until remote images are allowed.
      if (style.length > 20_000 || SCRIPTED_CSS.some((hook) => lower.includes(hook))) node.removeAttribute("style");
      else if (REMOTE_CSS_URL.test(style)) {
        hasRemote = true;
        if (!allowRemote) node.removeAttribute("style");
      }
    }
  });
  const clean = purify.sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed", "base", "meta", "link"],
    FORBID_ATTR: ["srcset", "ping", "formaction"],
    WHOLE_DOCUMENT: false,
  });
  const imgSrc = allowRemote ? "data: https: http:" : "data:";
  const csp = `default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; font-src data:`;
  const doc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><style>body{font-family:system-ui,sans-serif;font-size:14px;line-height:1.5;color:#0f172a;margin:12px;overflow-wrap:anywhere}img{max-width:100%;height:auto}table{max-width:100%}pre{white-space:pre-wrap}</style></head><body>${clean}</body></html>`;
  return { doc, hasRemote };
}

export function MessageHtml({ html, title }: { html: string; title: string }) {
  const mounted = useMounted();
  const [allowRemote, setAllowRemote] = useState(false);
  const sanitized = useMemo(() => (mounted ? sanitizeEmailHtml(html, allowRemote) : null), [mounted, html, allowRemote]);
  if (!sanitized) {
    return (
      <div className="flex h-40 items-center justify-center rounded border border-slate-200 bg-slate-50 text-sm text-slate-500" data-testid="message-html-pending">
        Preparing the message…
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      {sanitized.hasRemote && !allowRemote ? (
        <div className="flex flex-wrap items-center justify-between gap-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span>Remote images are blocked to protect your privacy.</span>
          <button type="button" className="rounded border border-amber-300 bg-white px-2 py-1" onClick={() => setAllowRemote(true)}>
            Show remote images
          </button>
        </div>
      ) : null}
      <iframe
        title={title}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        srcDoc={sanitized.doc}
        className="h-[420px] w-full resize-y rounded border border-slate-200 bg-white"
        data-testid="message-html"
      />
    </div>
  );
}
