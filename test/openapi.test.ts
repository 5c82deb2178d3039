/** The OpenAPI document's operationIds, public `security: []` and `servers` (Redocly lints the rest: npm run lint:openapi). */
import { describe, expect, it } from "vitest";
import { operationIdOf } from "../src/http/openapi";
import { call, json, PLATFORM_HOST } from "./harness";

describe("OpenAPI document", () => {
  it("derives operationIds from method and path", () => {
    expect(operationIdOf("get", "/api/public/bookings/manage/{token}")).toBe("getPublicBookingsManageByToken");
    expect(operationIdOf("post", "/api/service-categories")).toBe("postServiceCategories");
    expect(operationIdOf("delete", "/api/staff/{id}/time-off/{time_off_id}")).toBe("deleteStaffByIdTimeOffByTimeOffId");
  });

  it("gives every operation a unique operationId, public ones `security: []`, and a server", async () => {
    const doc = await json<any>(await call(PLATFORM_HOST, "/api/schema"));
    const ops = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
      Object.entries<any>(item).map(([method, op]) => ({ path, method, op })),
    );
    expect(ops.length).toBeGreaterThan(50);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id) => typeof id !== "string" || !/^[a-z][A-Za-z0-9]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ops.filter(({ op }) => !Array.isArray(op.security))).toEqual([]);
    const publicOps = ops.filter(({ op }) => op.security.length === 0).map(({ method, path }) => `${method} ${path}`);
    expect(publicOps).toEqual(
      expect.arrayContaining(["post /api/public/bookings", "get /api/public/availability", "post /api/auth/login", "get /health"]),
    );
    expect(publicOps.filter((p) => /\/api\/(bookings|customers|platform|memberships|settings)\b/.test(p))).toEqual([]);
    expect(doc.paths["/api/bookings/{id}/confirm"].post.operationId).toBe("postBookingsByIdConfirm");
    expect(doc.servers).toEqual([expect.objectContaining({ url: "http://localhost" })]);
    const tenantDoc = await json<any>(await call("salon.bookme.test", "/api/schema"));
    expect(tenantDoc.servers[0].url).toBe("http://salon.bookme.test");
  });
});
