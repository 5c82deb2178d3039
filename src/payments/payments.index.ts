/** Takings API: payments across bookings, the report, CSV exports; each route carries its own guard. */
import { createRouter } from "../http/router";
import * as H from "./payments.handlers";
import * as R from "./payments.routes";

export const paymentsRouter = createRouter()
  .openapi(R.exportPayments, H.exportPayments)
  .openapi(R.listPayments, H.listPayments)
  .openapi(R.exportTakings, H.exportTakings)
  .openapi(R.takingsReport, H.takingsReport);
