/**
 * Local capture sink for dev and tests: a tiny Resend-compatible HTTP server
 * that stores every POST (emails, webhook deliveries, WhatsApp Cloud API
 * template messages at `/<phone number id>/messages`, Twilio-style SMS at
 * `/2010-04-01/Accounts/<sid>/Messages.json` (form fields parsed into `body`),
 * with their headers) in memory instead of delivering it.
 *
 *   POST /<anything>              capture; answers 200 {id} (or the forced failure)
 *   GET  /                        HTML list of captured messages, newest first (for people)
 *   GET  /messages                JSON list (for tests)
 *   POST /control/fail?count=&status=   the next `count` captures answer `status` (default 500)
 *   POST /control/reset           forget everything (messages and pending failures)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedMessage {
  id: string;
  path: string;
  receivedAt: string;
  headers: Record<string, string>;
  /** The raw body, exactly as received (webhook signatures are over these bytes). */
  raw: string;
  /** Parsed JSON body, or null. */
  body: unknown;
}

export interface MailCapture {
  url: string;
  messages(): CapturedMessage[];
  failNext(count: number, status?: number): void;
  reset(): void;
  close(): Promise<void>;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function page(messages: CapturedMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map((m) => {
      const b = (m.body ?? {}) as { to?: unknown; subject?: unknown; html?: unknown; type?: unknown };
      const isEmail = typeof b.subject === "string";
      const wa = (m.body ?? {}) as { messaging_product?: unknown; template?: { name?: unknown } };
      const sms = (m.body ?? {}) as { To?: unknown; Body?: unknown };
      const title = isEmail
        ? `${String(b.subject)} → ${String(b.to)}`
        : wa.messaging_product === "whatsapp"
          ? `WhatsApp ${String(wa.template?.name ?? "")} → +${String(b.to)}`
          : typeof sms.Body === "string"
            ? `SMS → ${String(sms.To)}`
            : `webhook ${String(b.type ?? "")} ${m.headers["x-bookme-event"] ?? ""}`;
      const preview =
        isEmail && typeof b.html === "string"
          ? `<iframe sandbox srcdoc="${escapeHtml(b.html)}" style="width:100%;height:320px;border:1px solid #ddd"></iframe>`
          : `<pre>${escapeHtml(m.raw.slice(0, 4000))}</pre>`;
      return `<details><summary><code>${escapeHtml(m.receivedAt)}</code> ${escapeHtml(title)}</summary>${preview}
        <pre>${escapeHtml(JSON.stringify(m.headers, null, 2))}</pre></details>`;
    })
    .join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>BookMe mail capture</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}details{margin:.5rem 0;padding:.5rem;border-bottom:1px solid #eee}</style></head>
<body><h1>Captured messages (${messages.length})</h1><p>Newest first. JSON at <a href="/messages">/messages</a>.</p>${rows || "<p>Nothing yet.</p>"}</body></html>`;
}

export async function startMailCapture(options: { port?: number; host?: string } = {}): Promise<MailCapture> {
  let captured: CapturedMessage[] = [];
  const failures: number[] = [];
  let seq = 0;

  const send = (res: ServerResponse, status: number, body: string, type = "application/json") => {
    res.writeHead(status, { "content-type": type });
    res.end(body);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://capture");
      if (req.method === "GET" && url.pathname === "/") return send(res, 200, page(captured), "text/html; charset=utf-8");
      if (req.method === "GET" && url.pathname === "/messages") return send(res, 200, JSON.stringify(captured));
      if (req.method === "POST" && url.pathname === "/control/fail") {
        const count = Math.max(0, Number(url.searchParams.get("count") ?? 1) || 0);
        const status = Number(url.searchParams.get("status") ?? 500) || 500;
        for (let i = 0; i < count; i++) failures.push(status);
        return send(res, 200, JSON.stringify({ pendingFailures: failures.length }));
      }
      if (req.method === "POST" && url.pathname === "/control/reset") {
        captured = [];
        failures.length = 0;
        return send(res, 200, JSON.stringify({ ok: true }));
      }
      if (req.method !== "POST") return send(res, 405, JSON.stringify({ error: "method not allowed" }));
      const raw = await readBody(req);
      const forced = failures.shift();
      if (forced !== undefined) return send(res, forced, JSON.stringify({ error: `forced failure ${forced}` }));
      let body: unknown = null;
      if ((req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
        // SMS (Twilio-compatible shape): form fields To, From, Body.
        body = Object.fromEntries(new URLSearchParams(raw));
      } else {
        try {
          body = JSON.parse(raw);
        } catch {
          body = null;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const id = `cap_${++seq}_${Date.now().toString(36)}`;
      captured.push({ id, path: url.pathname, receivedAt: new Date().toISOString(), headers, raw, body });
      return send(res, 200, JSON.stringify({ id }));
    } catch (error) {
      return send(res, 500, JSON.stringify({ error: String(error) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages: () => captured,
    failNext: (count, status = 500) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    reset: () => {
      captured = [];
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
