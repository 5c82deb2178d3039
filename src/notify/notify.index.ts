/** Webhook endpoints, the outbox read API and each member's alert choices, mounted on the tenant host: routes (with their guards) to handlers. */
import { createRouter } from "../http/router";
import * as AH from "./alert-preferences.handlers";
import * as AR from "./alert-preferences.routes";
import * as H from "./notify.handlers";
import * as R from "./notify.routes";

export const notifyRouter = createRouter()
  .openapi(R.listWebhooks, H.listWebhooks)
  .openapi(R.createWebhook, H.createWebhook)
  .openapi(R.getWebhook, H.getWebhook)
  .openapi(R.updateWebhook, H.updateWebhook)
  .openapi(R.deleteWebhook, H.deleteWebhook)
  .openapi(R.testWebhook, H.testWebhook)
  .openapi(R.listWebhookDeliveries, H.listWebhookDeliveries)
  .openapi(R.listNotifications, H.listNotifications)
  .openapi(R.getNotification, H.getNotification)
  .openapi(R.retryNotification, H.retryNotification)
  .openapi(AR.getMyAlerts, AH.getMyAlerts)
  .openapi(AR.putMyAlerts, AH.putMyAlerts);
