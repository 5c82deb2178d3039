/** Shapes only the catalogue's routes share. */
import { z } from "@hono/zod-openapi";

/** Resource types are short slugs so a service's `required_resource_type` matches a resource's `type` exactly. */
export const resourceTypeField = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use lower-case letters, digits, - or _ (at most 40), e.g. room.")
  .openapi({ example: "room" });
