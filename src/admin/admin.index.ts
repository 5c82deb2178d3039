/**
 * The back office at /admin on each business's own host (mounting only).
 *
 *   GET/POST /admin/login                 sign in (next= back to the page asked for)
 *   POST     /admin/logout                sign out (revokes the session's token family)
 *   GET/POST /admin/password/forgot       ask for a reset link (emailed through the outbox)
 *   GET/POST /admin/password/reset        set a new password with that link (1 h, once)
 *   GET/POST /admin/invitation            accept an invitation, then land in /admin
 *   GET      /invitations/accept          the invitation emails' link → /admin/invitation
 *   GET      /admin                       → /admin/calendar
 *   /admin/*                              page modules, behind requireSession
 *
 * Adding a screen: see src/admin/README-shell.md (a Hono<AdminEnv> module
 * listed in PAGE_MODULES; routes relative to /admin).
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorHandler } from "../http/errors";
import { ApiError } from "../http/problem";
import type { AppEnv } from "../http/types";
import { htmlErrorResponse } from "../web/error-page";
import { loginPage, loginPost, logoutPost } from "./auth.handlers";
import { hoursPages } from "./hours.pages";
import { integrationsPages } from "./integrations.handlers";
import { messagingPages } from "./messaging.handlers";
import { mountPlatformConsole } from "./platform.pages";
import { forgotPage, forgotPost, invitationPage, invitationPost, legacyInvitationLink, resetPage, resetPost } from "./recovery.handlers";
import { refusalResponse } from "./refusal";
import { bookingPages } from "./booking.pages";
import { categoryPages } from "./categories.pages";
import { resourcePages } from "./resources.pages";
import { servicePages } from "./services.handlers";
import { calendarPages } from "./calendar.pages";
import { customerPages } from "./customers.pages";
import { settingsPages } from "./settings.handlers";
import { staffPages } from "./staff.handlers";
import { takingsPages } from "./takings.pages";
import { teamPages } from "./team.handlers";
import { type AdminEnv, requireSession, setRefusalPage } from "./session";

/**
 * The screens, each a Hono<AdminEnv> with routes relative to /admin, all
 * behind requireSession (every `/settings/<section>` module before `/settings`).
 */
const PAGE_MODULES: Hono<AdminEnv>[] = [
  calendarPages,
  bookingPages,
  customerPages,
  takingsPages,
  hoursPages,
  integrationsPages,
  teamPages,
  categoryPages,
  resourcePages,
  servicePages,
  staffPages,
  messagingPages,
  settingsPages,
];

setRefusalPage(refusalResponse);

const admin = new Hono<AdminEnv>();

// Forms are small; refuse anything bigger before parsing it.
admin.on(
  ["POST", "PUT", "PATCH", "DELETE"],
  "/admin/*",
  bodyLimit({
    maxSize: 32 * 1024,
    onError: () => {
      throw new ApiError("payload_too_large", "The form is too large.");
    },
  }),
);

// The platform console on the platform host (its handlers pass tenant hosts on).
mountPlatformConsole(admin as unknown as Hono<AppEnv>);

// Before sign-in.
admin.get("/admin/login", loginPage);
admin.post("/admin/login", loginPost);
admin.get("/admin/password/forgot", forgotPage);
admin.post("/admin/password/forgot", forgotPost);
admin.get("/admin/password/reset", resetPage);
admin.post("/admin/password/reset", resetPost);
admin.get("/admin/invitation", invitationPage);
admin.post("/admin/invitation", invitationPost);
admin.get("/invitations/accept", legacyInvitationLink);

// Everything else needs a session.
admin.use("/admin", requireSession);
admin.use("/admin/*", requireSession);
admin.post("/admin/logout", logoutPost);
admin.get("/admin", (c) => c.redirect("/admin/calendar", 303));
for (const module of PAGE_MODULES) admin.route("/admin", module);

// Errors of these pages are pages too, whatever the Accept header says.
admin.onError(errorHandler({ wants: () => true, render: htmlErrorResponse }) as never);

export const adminRouter = admin as unknown as Hono<AppEnv>;
