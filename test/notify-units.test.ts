import { describe, expect, it } from "vitest";
import { buildIcs, escapeText, foldLine } from "../src/notify/ics";
import { afterAttempt, retryDelayMinutes, skipReason, type ClaimedNotification } from "../src/notify/outbox";
import { renderBookingEmail, renderInvitationEmail } from "../src/notify/templates";
import { webhookUrlProblem } from "../src/notify/webhook-target";
import { signatureHeader, generateWebhookSecret } from "../src/notify/webhooks.sign";

const data = {
  tenantName: "Salon <Bella> & Co",
  timeZone: "Africa/Casablanca",
  customerName: 'Amina "A" <script>',
  serviceName: "Coupe & brushing",
  staffName: "Badr",
  startsAt: new Date("2026-12-01T10:00:00Z"),
  endsAt: new Date("2026-12-01T11:00:00Z"),
  manageUrl: "https://salon.bookme.test/manage/abc?x=1&y=2",
};

describe("email templates", () => {
  it("writes Arabic right-to-left and the others left-to-right", () => {
    const ar = renderBookingEmail("booking_confirmation", "ar", data);
    expect(ar.html).toContain('dir="rtl"');
    expect(ar.html).toContain('lang="ar"');
    expect(ar.dir).toBe("rtl");
    for (const locale of ["fr", "en"]) {
      const out = renderBookingEmail("booking_confirmation", locale, data);
      expect(out.html).toContain('dir="ltr"');
      expect(out.html).not.toContain('dir="rtl"');
    }
  });

  it("has a different subject per language and per kind", () => {
    const subjects = ["fr", "ar", "en"].map((l) => renderBookingEmail("reminder", l, data).subject);
    expect(new Set(subjects).size).toBe(3);
    const kinds = (["booking_confirmation", "booking_cancellation", "booking_reschedule", "reminder"] as const).map(
      (k) => renderBookingEmail(k, "fr", data).subject,
    );
    expect(new Set(kinds).size).toBe(4);
    expect(renderBookingEmail("booking_confirmation", "fr", data).subject).toMatch(/^Réservation confirmée/);
  });

  it("escapes every interpolated value in the HTML part, not in the text part", () => {
    const out = renderBookingEmail("booking_confirmation", "en", data);
    expect(out.html).not.toContain("<script>");
    expect(out.html).not.toContain("<Bella>");
    expect(out.html).toContain("Salon &lt;Bella&gt; &amp; Co");
    expect(out.html).toContain("Amina &quot;A&quot; &lt;script&gt;");
    expect(out.html).toContain('href="https://salon.bookme.test/manage/abc?x=1&amp;y=2"');
    expect(out.text).toContain('Amina "A" <script>');
    expect(out.text).toContain("https://salon.bookme.test/manage/abc?x=1&y=2");
  });

  it("shows the time in the tenant's zone, in the customer's language", () => {
    // 10:00 UTC is 11:00 in Casablanca (UTC+1).
    expect(renderBookingEmail("reminder", "en", data).text).toMatch(/11:00/);
    expect(renderBookingEmail("reminder", "fr", data).text).toMatch(/mardi 1 décembre 2026/);
    expect(renderBookingEmail("reminder", "en", { ...data, timeZone: "Asia/Tokyo" }).text).toMatch(/19:00/);
  });

  it("mentions the previous time in a reschedule, drops the manage link from a cancellation", () => {
    const moved = renderBookingEmail("booking_reschedule", "en", { ...data, previousStartsAt: new Date("2026-11-30T09:00:00Z") });
    expect(moved.text).toMatch(/Previously: .*30 November 2026/);
    const cancelled = renderBookingEmail("booking_cancellation", "en", { ...data, cancelReason: "Sick <day>" });
    expect(cancelled.text).not.toContain("/manage/");
    expect(cancelled.html).toContain("Sick &lt;day&gt;");
  });

  it("never puts a non-http link in an href, and keeps subjects on one line", () => {
    const out = renderBookingEmail("reminder", "en", { ...data, manageUrl: "javascript:alert(1)", serviceName: "A\r\nBcc: x@y" });
    expect(out.html).not.toContain("javascript:");
    expect(out.subject).not.toMatch(/[\r\n]/);
  });

  it("renders invitations in the three languages", () => {
    const ar = renderInvitationEmail("ar", {
      tenantName: "Salon",
      inviterName: "Sara",
      role: "admin",
      acceptUrl: "https://x.test/invite/1",
    });
    expect(ar.html).toContain('dir="rtl"');
    expect(ar.text).toContain("https://x.test/invite/1");
    expect(renderInvitationEmail("en", { tenantName: "Salon", inviterName: "Sara", role: "staff", acceptUrl: "https://x" }).text).toContain(
      "staff member",
    );
  });
});

describe(".ics", () => {
  const base = {
    method: "REQUEST" as const,
    uid: "0b7c3f9e-4a51-4c2b-9a8e-3d2f1c0e5b6a",
    domain: "salon.bookme.test",
    sequence: 2,
    start: new Date("2026-12-01T10:00:00Z"),
    end: new Date("2026-12-01T11:00:00Z"),
    stamp: new Date("2026-11-26T08:30:15.123Z"),
    summary: `Coupe, brushing; et soins \\ spéciaux – ${"très long ".repeat(12)}`,
    location: "Salon Bella",
    organizer: { name: "Salon Bella", email: "no-reply@salon.bookme.test" },
    attendee: { name: "Sara", email: "sara@example.ma" },
  };

  it("uses CRLF everywhere and folds lines at 75 octets", () => {
    const ics = buildIcs(base);
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = ics.split("\r\n").slice(0, -1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    // Unfolding gives back the escaped summary.
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain(`SUMMARY:${escapeText(base.summary)}`);
  });

  it("never splits a multi-byte character when folding", () => {
    const line = `SUMMARY:${"حجز ".repeat(40)}`;
    const folded = foldLine(line);
    for (const part of folded.split("\r\n")) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
  });

  it("writes UID, UTC times, SEQUENCE and METHOD", () => {
    const ics = buildIcs(base).replace(/\r\n /g, "");
    expect(ics).toContain("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    expect(ics).toContain("METHOD:REQUEST");
    expect(ics).toContain("UID:0b7c3f9e-4a51-4c2b-9a8e-3d2f1c0e5b6a@salon.bookme.test");
    expect(ics).toContain("DTSTART:20261201T100000Z");
    expect(ics).toContain("DTEND:20261201T110000Z");
    expect(ics).toContain("DTSTAMP:20261126T083015Z");
    expect(ics).toContain("SEQUENCE:2");
    const cancel = buildIcs({ ...base, method: "CANCEL", sequence: 3 });
    expect(cancel).toContain("METHOD:CANCEL");
    expect(cancel).toContain("STATUS:CANCELLED");
  });

  it("escapes TEXT values", () => {
    expect(escapeText("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
  });
});

describe("retry policy", () => {
  it("backs off 1, 5, 15, 60 minutes and stays at 60", () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelayMinutes)).toEqual([1, 5, 15, 60, 60, 60]);
  });

  it("retries retryable failures until the last attempt, fails permanent ones at once", () => {
    expect(afterAttempt({ ok: true, retryable: false }, 1, 5)).toBe("sent");
    expect(afterAttempt({ ok: false, retryable: true }, 4, 5)).toBe("pending");
    expect(afterAttempt({ ok: false, retryable: true }, 5, 5)).toBe("failed");
    expect(afterAttempt({ ok: false, retryable: false }, 1, 5)).toBe("failed");
  });
});

describe("reminder skip rules", () => {
  const now = new Date("2026-12-01T08:00:00Z");
  const row = (over: Partial<ClaimedNotification>): ClaimedNotification => ({
    id: "n",
    channel: "email",
    kind: "reminder",
    recipient: "a@b.test",
    locale: "fr",
    payload: { starts_at: "2026-12-01T10:00:00.000Z", offset_min: 120 },
    attempts: 1,
    max_attempts: 5,
    booking_id: "b",
    booking_status: "confirmed",
    starts_at: new Date("2026-12-01T10:00:00Z"),
    ends_at: new Date("2026-12-01T11:00:00Z"),
    manage_token_version: 1,
    cancel_reason: null,
    service_name: "S",
    staff_name: "T",
    customer_name: "C",
    sequence: 0,
    webhook_url: null,
    webhook_secret: null,
    webhook_active: null,
    ...over,
  });

  it("sends a reminder for the time it was made for", () => expect(skipReason(row({}), now)).toBeNull());
  it("skips a cancelled booking", () => expect(skipReason(row({ booking_status: "cancelled" }), now)).toMatch(/cancelled/));
  it("skips a moved booking", () => expect(skipReason(row({ starts_at: new Date("2026-12-02T10:00:00Z") }), now)).toMatch(/moved/));
  it("skips an appointment already started", () => expect(skipReason(row({}), new Date("2026-12-01T10:00:00Z"))).toMatch(/started/));
  it("skips a webhook whose endpoint is gone or disabled", () => {
    expect(skipReason(row({ channel: "webhook", kind: "webhook:booking.created" }), now)).toMatch(/deleted/);
    expect(
      skipReason(
        row({ channel: "webhook", kind: "webhook:booking.created", webhook_url: "https://x", webhook_secret: "s", webhook_active: false }),
        now,
      ),
    ).toMatch(/disabled/);
  });
});

describe("webhooks", () => {
  it("accepts https, and plain http to this machine only in test/development", () => {
    expect(webhookUrlProblem("https://example.com/hook", "production")).toBeNull();
    expect(webhookUrlProblem("http://example.com/hook", "test")).toMatch(/https/);
    expect(webhookUrlProblem("http://127.0.0.1:9999/hook", "test")).toBeNull();
    expect(webhookUrlProblem("http://localhost:9999/hook", "development")).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:9999/hook", "production")).toMatch(/https/);
    expect(webhookUrlProblem("https://user:pw@example.com/", "production")).toMatch(/credentials/);
    expect(webhookUrlProblem("not a url", "test")).toMatch(/absolute/);
    expect(webhookUrlProblem("ftp://example.com/", "test")).toMatch(/https/);
  });

  it("signs t.<body> with HMAC-SHA256 (known vector)", async () => {
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
    const header = await signatureHeader("whsec_test", '{"a":1}', 1700000000);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("whsec_test"), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const [t, v1] = header.split(",").map((p) => p.split("=")[1]!);
    const sig = new Uint8Array(v1!.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(t).toBe("1700000000");
    expect(v1).toBe("38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    expect(await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(`${t}.{"a":1}`))).toBe(true);
    expect(generateWebhookSecret()).toMatch(/^whsec_[0-9a-f]{64}$/);
  });
});
