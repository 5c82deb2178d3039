/** The secrets that sign tokens and links for this request: the current one and, during a rotation, the previous. */
import type { Context } from "hono";
import type { AppEnv } from "../http/types";

export function signingKeys(c: Context<AppEnv>) {
  return { current: c.get("config").JWT_SECRET, previous: c.env.JWT_PREVIOUS_SECRET };
}
