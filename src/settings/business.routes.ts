import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guards";
import { LOCALES } from "../domain/locales";
import { bearer, jsonBody, jsonContent, nameField, phoneInput, staffErrors } from "../http/schemas";

const httpUrl = z
  .string()
  .max(500)
  .url()
  .refine((v) => /^https?:\/\//i.test(v), "Use an http(s) address.");
const optional = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal(""), z.null()]).optional();

export const BusinessProfileSchema = z
  .object({
    name: z.string(),
    locale: z.enum(LOCALES).openapi({ description: "Default language of the customer pages and messages" }),
    time_zone: z.string().openapi({ example: "Africa/Casablanca" }),
    currency: z.string().openapi({ example: "MAD" }),
    logo_url: z.string().nullable(),
    accent_color: z.string().nullable().openapi({ example: "#0f766e" }),
    contact_phone: z.string().nullable().openapi({ description: "Shown on the booking and manage pages" }),
    whatsapp: z.string().nullable(),
    address: z.string().nullable(),
    map_url: z.string().nullable(),
    description: z.string().nullable(),
    upcoming_bookings: z.number().int().openapi({ description: "Pending or confirmed bookings still to come" }),
  })
  .openapi("BusinessProfile");

export const BusinessProfileUpdateSchema = z
  .object({
    name: nameField(120),
    locale: z.enum(LOCALES),
    time_zone: z.string().min(1).max(64).openapi({ description: "IANA zone; needs confirm when upcoming bookings exist" }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as MAD.")
      .openapi({ description: "Needs confirm when upcoming bookings exist" }),
    logo_url: optional(httpUrl),
    accent_color: optional(z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour such as #0f766e.")).openapi({
      description: "Refused (422) when neither white nor dark text on it reaches 4.5:1 contrast",
    }),
    contact_phone: optional(phoneInput),
    whatsapp: optional(phoneInput),
    address: optional(z.string().trim().max(300)),
    map_url: optional(httpUrl),
    description: optional(z.string().trim().max(500)),
    confirm: z.boolean().openapi({ description: "Change the time zone or currency although upcoming bookings exist" }),
  })
  .partial()
  .strict()
  .openapi("BusinessProfileUpdate");
export type BusinessProfileWrite = z.infer<typeof BusinessProfileUpdateSchema>;

const tags = ["Settings"];

export const getBusiness = createRoute({
  method: "get",
  path: "/api/business",
  tags,
  summary: "The business profile and branding (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  responses: { 200: jsonContent(BusinessProfileSchema, "Profile"), ...staffErrors({ body: false }) },
});

export const updateBusiness = createRoute({
  method: "patch",
  path: "/api/business",
  tags,
  summary: "Change the business profile and branding (owner only)",
  description:
    "Unset fields stay; null or an empty string clears an optional one. A time zone or currency change answers 409 `confirm_required` with `upcoming_bookings` unless `confirm` is true.",
  security: bearer,
  middleware: guard("owner"),
  request: { body: jsonBody(BusinessProfileUpdateSchema) },
  responses: { 200: jsonContent(BusinessProfileSchema, "Updated"), ...staffErrors({ conflict: true }) },
});
