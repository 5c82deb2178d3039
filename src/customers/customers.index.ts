/** Staff-side customer records; each route carries its own guard (customers.routes.ts). */
import { createRouter } from "../http/router";
import * as H from "./customers.handlers";
import * as R from "./customers.routes";

export const customersRouter = createRouter()
  .openapi(R.listCustomers, H.listCustomers)
  .openapi(R.createCustomer, H.createCustomer)
  .openapi(R.getCustomer, H.getCustomer)
  .openapi(R.updateCustomer, H.updateCustomer)
  .openapi(R.deleteCustomer, H.deleteCustomer)
  .openapi(R.mergeCustomer, H.mergeCustomer);
