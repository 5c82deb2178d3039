/** Messaging on the tenant host: short manage links and the WhatsApp webhook (paths in messaging.routes.ts). */
import { Hono } from "hono";
import type { AppEnv } from "../http/types";
import * as H from "./messaging.handlers";
import * as R from "./messaging.routes";

export const messagingRouter = new Hono<AppEnv>()
  .get(R.SHORT_LINK_PATH, H.shortLinkRedirect)
  .get(R.WHATSAPP_WEBHOOK_PATH, H.whatsAppVerify)
  .post(R.WHATSAPP_WEBHOOK_PATH, H.whatsAppInbound);
