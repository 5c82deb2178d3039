/**
 * `npm run dev` fires the crons of wrangler.toml itself (infra/dev-cron.ts):
 * the expressions it reads, the minutes they fire at (UTC, as Cloudflare), and
 * the trigger requests it sends to `wrangler dev --test-scheduled`.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cronMatches, cronsOf, fireDueCrons } from "../../infra/dev-cron";
import { CRON_JOBS } from "../../src/jobs/messages";

const ROOT = new URL("../..", import.meta.url).pathname;
const at = (iso: string) => new Date(iso);

describe("dev cron", () => {
  it("reads exactly the crons of wrangler.toml that the Worker knows jobs for", () => {
    const crons = cronsOf(readFileSync(`${ROOT}wrangler.toml`, "utf8"));
    expect(crons.length).toBeGreaterThan(0);
    expect([...crons].sort()).toEqual(Object.keys(CRON_JOBS).sort());
  });

  it("finds no crons outside the [triggers] table", () => {
    expect(cronsOf(`[vars]\ncrons = ["* * * * *"]\n`)).toEqual([]);
    expect(cronsOf(`[triggers]\ncrons = [ "*/5 * * * *", '0 3 * * 1' ]\n[vars]\nX = "1"`)).toEqual(["*/5 * * * *", "0 3 * * 1"]);
  });

  it("fires at the minutes the expression names, in UTC", () => {
    expect(cronMatches("* * * * *", at("2026-03-29T01:59:00Z"))).toBe(true);
    expect(cronMatches("*/30 * * * *", at("2026-03-29T10:30:00Z"))).toBe(true);
    expect(cronMatches("*/30 * * * *", at("2026-03-29T10:00:00Z"))).toBe(true);
    expect(cronMatches("*/30 * * * *", at("2026-03-29T10:31:00Z"))).toBe(false);
    expect(cronMatches("15 9-17/4 * * *", at("2026-03-29T13:15:00Z"))).toBe(true);
    expect(cronMatches("15 9-17/4 * * *", at("2026-03-29T14:15:00Z"))).toBe(false);
    expect(cronMatches("0 8 * * 1-5", at("2026-03-30T08:00:00Z"))).toBe(true); // Monday
    expect(cronMatches("0 8 * * 1-5", at("2026-03-29T08:00:00Z"))).toBe(false); // Sunday
    expect(cronMatches("0 8 * * 7", at("2026-03-29T08:00:00Z"))).toBe(true); // 7 is Sunday too
    // Both day fields restricted: either one is enough (classic cron).
    expect(cronMatches("0 0 1 * 1", at("2026-03-30T00:00:00Z"))).toBe(true);
    expect(cronMatches("0 0 1 * 1", at("2026-04-01T00:00:00Z"))).toBe(true);
    expect(cronMatches("0 0 1 * 1", at("2026-04-02T00:00:00Z"))).toBe(false);
  });

  it("refuses syntax it cannot honour instead of never firing", () => {
    for (const bad of ["* * * *", "61 * * * *", "0 0 * * MON", "0 0 L * *", "*/0 * * * *"]) {
      expect(() => cronMatches(bad, at("2026-03-29T00:00:00Z")), bad).toThrow();
    }
  });

  describe("triggers", () => {
    let server: Server;
    let url: string;
    const seen: string[] = [];
    let status = 200;

    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(req.url ?? "");
        res.writeHead(status);
        res.end("ok");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("sends /__scheduled?cron=… for each cron due that minute, and only those", async () => {
      const crons = ["* * * * *", "*/30 * * * *"];
      seen.length = 0;
      expect(await fireDueCrons(url, crons, at("2026-03-29T10:30:00Z"), () => {})).toEqual(crons);
      expect(seen).toEqual(["/__scheduled?cron=*%20*%20*%20*%20*", "/__scheduled?cron=*%2F30%20*%20*%20*%20*"]);
      seen.length = 0;
      expect(await fireDueCrons(url, crons, at("2026-03-29T10:31:00Z"), () => {})).toEqual(["* * * * *"]);
      expect(seen).toEqual(["/__scheduled?cron=*%20*%20*%20*%20*"]);
    });

    it("logs a failing or unreachable Worker and carries on", async () => {
      const lines: string[] = [];
      status = 500;
      await fireDueCrons(url, ["* * * * *"], at("2026-03-29T10:31:00Z"), (l) => lines.push(l));
      status = 200;
      await fireDueCrons("http://127.0.0.1:9", ["* * * * *"], at("2026-03-29T10:31:00Z"), (l) => lines.push(l));
      expect(lines[0]).toContain('"* * * * *" answered 500');
      expect(lines[1]).toContain('"* * * * *" could not be triggered');
    });
  });
});
