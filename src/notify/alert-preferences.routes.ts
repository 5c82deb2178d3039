/** OpenAPI routes of the signed-in person's business alerts (any member of the business). */
import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guards";
import { bearer, jsonBody, jsonContent, phoneInput, staffErrors } from "../http/schemas";

export const AlertPreferencesSchema = z
  .object({
    email: z.string().openapi({ description: "Where the email alerts go (the account's email)" }),
    on_created: z.boolean(),
    on_cancelled: z.boolean(),
    on_rescheduled: z.boolean(),
    daily_agenda: z.boolean().openapi({ description: "The day's appointments each morning (staff members with bookings)" }),
    whatsapp_phone: z.string().nullable().openapi({ description: "E.164; the alerts also go there by WhatsApp", example: "+212612345678" }),
    staff_member: z.boolean().openapi({ description: "Linked to a staff record: alerts of their own bookings and the daily agenda" }),
  })
  .openapi("AlertPreferences");

export const AlertPreferencesWriteSchema = z
  .object({
    on_created: z.boolean(),
    on_cancelled: z.boolean(),
    on_rescheduled: z.boolean(),
    daily_agenda: z.boolean(),
    whatsapp_phone: z
      .union([phoneInput, z.literal(""), z.null()])
      .optional()
      .openapi({ description: "National (0612345678, in the business's country) or international; null, empty or absent = none" }),
  })
  .strict()
  .openapi("AlertPreferencesWrite");

const tags = ["Notifications"];

export const getMyAlerts = createRoute({
  method: "get",
  path: "/api/auth/me/alerts",
  tags,
  summary: "Which business alerts you get (any member)",
  description:
    "New, cancelled and rescheduled bookings and the daily agenda, by email and optionally WhatsApp. Before any choice: all, by email.",
  security: bearer,
  middleware: guard("staff"),
  responses: { 200: jsonContent(AlertPreferencesSchema, "Your alerts"), ...staffErrors({ body: false }) },
});

export const putMyAlerts = createRoute({
  method: "put",
  path: "/api/auth/me/alerts",
  tags,
  summary: "Choose the business alerts you get (any member)",
  security: bearer,
  middleware: guard("staff"),
  request: { body: jsonBody(AlertPreferencesWriteSchema) },
  responses: { 200: jsonContent(AlertPreferencesSchema, "Saved"), ...staffErrors() },
});
