/**
 * Tenant-host routes of the catalogue side: categories, services, staff and
 * their schedules, resources, customers, booking settings, and the public
 * (no login) catalogue reads. app.ts mounts this one router.
 */
import { createRouter } from "../http/router";
import { customersRouter } from "../customers/customers.index";
import { settingsRouter } from "../settings/settings.index";
import { availabilityRouter } from "./availability.index";
import { categoriesRouter } from "./categories.index";
import { publicCatalogueRouter } from "./public.index";
import { resourcesRouter } from "./resources.index";
import { servicesRouter } from "./services.index";
import { staffRouter } from "./staff.index";

export const catalogueRouter = createRouter()
  .route("/", categoriesRouter)
  .route("/", servicesRouter)
  .route("/", staffRouter)
  .route("/", availabilityRouter)
  .route("/", resourcesRouter)
  .route("/", customersRouter)
  .route("/", settingsRouter)
  .route("/", publicCatalogueRouter);
