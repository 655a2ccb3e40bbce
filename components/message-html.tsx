"use client";

// Inbound HTML is attacker-controlled. It is sanitised with DOMPurify, then shown in
// an <iframe sandbox srcdoc> without allow-scripts, under a CSP that blocks every
// remote load unless the reader asks for remote images.
import DOMPurify from "dompurify";
import { useMemo, useState } from "react";

function sanitize(html: string, allowRemote: boolean): string {
  const purify = DOMPurify();
  purify.addHook("afterSanitizeAttributes", (node) => {
    if (node instanceof Element && node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
  });
  const clean = purify.sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed", "base", "meta", "link"],
    FORBID_ATTR: ["srcset", "ping", "formaction"],
    WHOLE_DOCUMENT: false,
  });
  const imgSrc = allowRemote ? "data: https: http:" : "data:";
  const csp = `default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; font-src data:`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><style>body{font-family:system-ui,sans-serif;font-size:14px;line-height:1.5;color:#0f172a;margin:12px;word-wrap:break-word}img{max-width:100%;height:auto}</style></head><body>${clean}</body></html>`;
}

export function MessageHtml({ html, title }: { html: string; title: string }) {
  const [allowRemote, setAllowRemote] = useState(false);
  const srcDoc = useMemo(() => sanitize(html, allowRemote), [html, allowRemote]);
  const hasRemote = /<img[^>]+src=["']?https?:/i.test(html) || /url\(\s*['"]?https?:/i.test(html);
  return (
    <div className="flex flex-col gap-2">
      {hasRemote && !allowRemote ? (
        <div className="flex items-center justify-between rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span>Remote images are blocked to protect your privacy.</span>
          <button type="button" className="rounded border border-amber-300 px-2 py-1" onClick={() => setAllowRemote(true)}>
            Show remote images
          </button>
        </div>
      ) : null}
      <iframe
        title={title}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        srcDoc={srcDoc}
        className="h-[480px] w-full rounded border border-slate-200 bg-white"
        data-testid="message-html"
      />
    </div>
  );
}
