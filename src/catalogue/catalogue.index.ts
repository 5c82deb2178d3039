/**
 * Tenant-host routes of the catalogue side: categories, services, staff and
 * their schedules, resources, and the public (no login) catalogue reads.
 */
import { createRouter } from "../http/router";
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
  .route("/", publicCatalogueRouter);
