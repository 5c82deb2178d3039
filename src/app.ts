/**
 * Builds the Hono app. Middleware order matters: security headers (outermost,
 * so error pages get them too) → request id → body limit →
 * per-request context (config, lazy db) → tenancy (Host → tenant) → routes.
 * `/health` and the API docs are mounted before tenancy so they answer on
 * every host without a lookup.
 */
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { requestContext } from "./http/context";
import { errorHandler, notFoundHandler, type ErrorPages } from "./http/errors";
import { ApiError } from "./http/problem";
import { securityHeaders } from "./http/security-headers";
import { finishOpenApi } from "./http/openapi";
import { createRouter } from "./http/router";
import type { AppOpenAPI } from "./http/types";
import { baselineRouter, healthRouter, tenantInfoRouter } from "./system/system.index";
import { swaggerPage } from "./system/swagger-page";
import { embedFrames, embedScript } from "./web/embed";
import { messagingRouter } from "./messaging/messaging.index";
import { notifyRouter } from "./notify/notify.index";
import { catalogueRouter } from "./catalogue/catalogue.index";
import { bookingsRouter } from "./bookings/bookings.index";
import { resolveTenant } from "./tenancy/middleware";
import { authRouter } from "./auth/auth.index";
import { membershipsRouter } from "./team/memberships.index";
import { customersRouter } from "./customers/customers.index";
import { paymentsRouter } from "./payments/payments.index";
import { settingsRouter } from "./settings/settings.index";
import { platformRouter } from "./platform/platform.index";
import { webRouter } from "./web/web.index";
import { adminRouter } from "./admin/admin.index";
import { htmlErrorResponse, wantsHtml } from "./web/error-page";

const DEFAULT_MAX_BODY = 64 * 1024;

export function createApp(): AppOpenAPI {
  const app = createRouter();
  app.use("*", securityHeaders);
  app.use("*", requestId());
  app.use("/api/*", async (c, next) => {
    const limit = Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY;
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new ApiError("payload_too_large", `The request body exceeds ${limit} bytes.`);
      },
    })(c, next);
  });
  // Browsers asking for a page (outside /api) get an HTML page; the API keeps problem+json.
  const pages: ErrorPages = { wants: wantsHtml, render: htmlErrorResponse };
  app.onError(errorHandler(pages));
  app.notFound(notFoundHandler(pages));

  app.route("/", healthRouter);
  app.route("/", baselineRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  // A function: the server is the host the document was fetched from (each business has its own).
  app.doc31("/api/schema", (c) => ({
    openapi: "3.1.0",
    servers: [{ url: new URL(c.req.url).origin, description: "This host (the Host header selects the business)" }],
    info: {
      title: "BookMe API",
      license: { name: "Proprietary", identifier: "LicenseRef-BookMe-Proprietary" },
      version: "0.1.0",
      description:
        "Multi-tenant appointment booking. The Host header selects the business; errors are application/problem+json (RFC 9457).",
    },
  }));
  app.get("/api/schema/swagger", swaggerPage);

  app.use("*", requestContext, resolveTenant);
  app.use("*", embedFrames);
  app.get("/embed.js", embedScript);
  app.route("/", tenantInfoRouter);
  app.route("/", notifyRouter);
  app.route("/", catalogueRouter);
  app.route("/", bookingsRouter);
  app.route("/", authRouter);
  app.route("/", membershipsRouter);
  app.route("/", customersRouter);
  app.route("/", paymentsRouter);
  app.route("/", settingsRouter);
  app.route("/", platformRouter);
  app.route("/", adminRouter);
  app.route("/", messagingRouter);
  app.route("/", webRouter);
  finishOpenApi(app);
  return app;
}
