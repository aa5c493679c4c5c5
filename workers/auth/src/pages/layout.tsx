// Shared shell of the server-rendered pages (login, consent, errors). No client JS; hono/jsx
// escapes every interpolated value.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';

/** CSP for pages: nothing but our own forms and inline styles; never framed (clickjacking). */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;background:#f5f6f8;color:#15171a}
main{max-width:440px;margin:48px auto;padding:0 16px}h1{font-size:22px;margin:0 0 4px}
.brand{font-weight:700;letter-spacing:.02em;margin-bottom:24px;color:#3b4cca}
section{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:20px 22px;margin:0 0 18px}
label{display:block;font-size:14px;font-weight:600;margin:12px 0 4px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:9px 10px;border:1px solid #c5cad1;border-radius:6px;font:inherit}
button{margin-top:16px;padding:9px 16px;border:0;border-radius:6px;background:#3b4cca;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#e7e9ee;color:#15171a}
.error{background:#fdecec;border:1px solid #f5b5b5;color:#8a1c1c;border-radius:6px;padding:8px 10px;margin:10px 0}
.notice{background:#eef4ff;border:1px solid #c3d4fb;border-radius:6px;padding:8px 10px;margin:10px 0}
.muted{color:#5b6370;font-size:14px}
`;

export function Layout(props: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · Moat`}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          <div class="brand">Moat</div>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Renders a page with the headers every page needs (CSP, no framing, no caching). */
export type PageStatus = 200 | 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429;

export function renderPage(c: Context, body: Child, status: PageStatus = 200) {
  c.header('content-security-policy', PAGE_CSP);
  c.header('x-frame-options', 'DENY');
  c.header('x-content-type-options', 'nosniff');
  // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on the page's own
  // form posts (login, consent, invite), which the Origin checks must then refuse. same-origin
  // still sends nothing to other origins (the client's redirect URI, links out).
  c.header('referrer-policy', 'same-origin');
  c.header('cache-control', 'no-store');
  return c.html(html`<!doctype html>${body}`, status);
}
