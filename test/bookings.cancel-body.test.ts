import { describe, expect, it } from "vitest";
import { call, json, useTenants } from "./harness";
import { counts, daysAhead, postJson, seedCatalogue, slotsOn, staffToken } from "./fixtures/booking";

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe("staff cancel body", () => {
  const t = useTenants();

  it("accepts a blank JSON body (no reason) and a declared reason, and refuses a reason over 500 characters", async () => {
    const cat = await seedCatalogue(t.a);
    const owner = await staffToken(t.a, crypto.randomUUID(), "owner");
    const slots = await slotsOn(t.a.domain, cat.serviceId, daysAhead(36), cat.staffA.id);
    const book = async (i: number) =>
      (
        await json(
          await postJson(
            t.a.domain,
            "/api/bookings",
            {
              service_id: cat.serviceId,
              staff_id: cat.staffA.id,
              start: slots[i]!.start,
              customer: { name: `Cb ${i}`, email: `cb${i}@example.ma` },
            },
            auth(owner),
          ),
        )
      ).booking.id as string;
    const cancel = (id: string, body: string) =>
      call(t.a.domain, `/api/bookings/${id}/cancel`, {
        method: "POST",
        headers: { ...auth(owner), "content-type": "application/json" },
        body,
      });

    const blank = await cancel(await book(0), "  ");
    expect(blank.status).toBe(200);
    expect((await json(blank)).booking).toMatchObject({ status: "cancelled", cancel_reason: null });

    const reasoned = await cancel(await book(2), JSON.stringify({ reason: "  Client called  " }));
    expect((await json(reasoned)).booking).toMatchObject({ status: "cancelled", cancel_reason: "Client called" });

    const id = await book(4);
    const before = await counts(t.a);
    const long = await cancel(id, JSON.stringify({ reason: "x".repeat(501) }));
    expect(long.status).toBe(422);
    expect(long.headers.get("content-type")).toBe("application/problem+json");
    expect((await json(long)).errors.map((e: { field: string }) => e.field)).toContain("reason");
    const junk = await cancel(id, "{not json");
    expect(junk.status).toBe(400);
    expect(await counts(t.a)).toEqual(before);
  });
});
