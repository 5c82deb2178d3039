/** A tiny keep-alive HTTP client that can set Host (Node's fetch drops it). */
import { Agent, request as httpRequest } from "node:http";

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const REQUEST_TIMEOUT_MS = 30_000;

export interface SimpleResponse {
  status: number;
  body: string;
}

export function request(
  baseUrl: string,
  host: string,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<SimpleResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: init.method ?? "GET",
        headers: { host, ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    // A request that never answers must fail the measurement, not hang the bench.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms: ${path}`)));
    if (init.body) req.write(init.body);
    req.end();
  });
}
