/** Shapes only the catalogue's routes and handlers share. */
import { z } from "@hono/zod-openapi";
import { iso } from "../http/json";

/** Resource types are short slugs so a service's `required_resource_type` matches a resource's `type` exactly. */
export const resourceTypeField = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use lower-case letters, digits, - or _ (at most 40), e.g. room.")
  .openapi({ example: "room" });

/** A catalogue row with its two timestamps as ISO 8601 UTC, as every catalogue response shows them. */
export const presentTimes = <R extends { created_at: Date; updated_at: Date }>(row: R) => ({
  ...row,
  created_at: iso(row.created_at)!,
  updated_at: iso(row.updated_at)!,
});

/** The body of the catalogue's "move" endpoints (services inside a category, categories). */
export const MoveSchema = z
  .object({ direction: z.enum(["up", "down"]).openapi({ description: "up = one place earlier in the list" }) })
  .strict()
  .openapi("MoveRequest");
