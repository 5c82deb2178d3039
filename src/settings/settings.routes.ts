import { createRoute, z } from "@hono/zod-openapi";
import { bearer, jsonBody, jsonContent, staffErrors } from "../http/schemas";
import { guard } from "../auth/guards";
import { PHONE_CHANNELS } from "../db/schema/tenant";
import { MAX_EMBED_ORIGINS } from "./embed-origins";

const MONTH_MIN = 30 * 24 * 60;

export const SettingsSchema = z
  .object({
    slot_interval_min: z.number().int(),
    min_notice_min: z.number().int(),
    booking_window_days: z.number().int(),
    cancellation_cutoff_min: z.number().int(),
    reschedule_cutoff_min: z.number().int(),
    reminder_offsets_min: z.array(z.number().int()).openapi({ description: "Minutes before the start, largest first" }),
    max_active_bookings_per_contact: z.number().int().openapi({
      description: "Online bookings are refused (429) for an email or phone that already has this many upcoming ones (1–100, default 3)",
    }),
    online_bookings_need_approval: z.boolean().openapi({
      description: "Online (public) bookings start pending until staff confirm them (default false)",
    }),
    phone_channel: z.enum(PHONE_CHANNELS).openapi({
      description: "How customers with a phone number get their booking messages: WhatsApp (default) or SMS",
    }),
    agenda_time: z
      .string()
      .openapi({ description: "Local time (business time zone, HH:MM) of each staff member's daily agenda", example: "07:30" }),
    embed_origins: z.array(z.string()).openapi({
      description: "Sites allowed to show the booking pages in a frame (CSP frame-ancestors), e.g. https://www.salon.ma; empty = none",
    }),
    time_zone: z.string().openapi({ description: "Read-only here (business profile)" }),
    locale: z.string().openapi({ description: "Read-only here (business profile)" }),
    currency: z.string().openapi({ description: "Read-only here (business profile)" }),
    updated_at: z.string(),
  })
  .openapi("BookingSettings");

export const SettingsUpdateSchema = z
  .object({
    slot_interval_min: z.number().int().min(5).max(240),
    min_notice_min: z.number().int().min(0).max(MONTH_MIN),
    booking_window_days: z.number().int().min(1).max(730),
    cancellation_cutoff_min: z.number().int().min(0).max(MONTH_MIN),
    reschedule_cutoff_min: z.number().int().min(0).max(MONTH_MIN),
    reminder_offsets_min: z
      .array(z.number().int().min(1).max(MONTH_MIN))
      .max(5)
      .refine((a) => new Set(a).size === a.length, "Each reminder offset once."),
    max_active_bookings_per_contact: z.number().int().min(1).max(100),
    online_bookings_need_approval: z.boolean(),
    phone_channel: z.enum(PHONE_CHANNELS),
    agenda_time: z
      .string()
      .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "Use a time such as 07:30.")
      .openapi({ description: "HH:MM, in the business's time zone", example: "07:30" }),
    embed_origins: z
      .array(z.string().max(200))
      .max(MAX_EMBED_ORIGINS * 2)
      .openapi({
        description:
          "Replaces the list. Each entry is an origin only (https://host[:port]; no path, no wildcard; plain http only for localhost outside production), " +
          `normalised to lower case and de-duplicated, at most ${MAX_EMBED_ORIGINS}. Takes effect on the next framed page load.`,
        example: ["https://www.salon.ma"],
      }),
  })
  .partial()
  .strict()
  .openapi("BookingSettingsUpdate");
export type SettingsWrite = z.infer<typeof SettingsUpdateSchema>;

const tags = ["Settings"];

export const getSettings = createRoute({
  method: "get",
  path: "/api/settings",
  tags,
  summary: "The business's booking policy (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  responses: { 200: jsonContent(SettingsSchema, "Settings"), ...staffErrors({ body: false }) },
});

export const updateSettings = createRoute({
  method: "patch",
  path: "/api/settings",
  tags,
  summary: "Change the booking policy (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(SettingsUpdateSchema) },
  responses: { 200: jsonContent(SettingsSchema, "Updated"), ...staffErrors() },
});
