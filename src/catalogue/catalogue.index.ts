/**
 * Tenant-host routes of the catalogue side: categories, services, staff and
 * their schedules, resources, and the public (no login) catalogue reads.
 * Each route carries its own guard (see the *.routes.ts files).
 */
import { createRouter } from "../http/router";
import * as categories from "./categories.handlers";
import * as categoryRoutes from "./categories.routes";
import * as closures from "./closures.handlers";
import * as closureRoutes from "./closures.routes";
import * as publicCatalogue from "./public.handlers";
import * as publicRoutes from "./public.routes";
import * as resources from "./resources.handlers";
import * as resourceRoutes from "./resources.routes";
import * as schedules from "./schedules.handlers";
import * as scheduleRoutes from "./schedules.routes";
import * as seasonal from "./seasonal.handlers";
import * as seasonalRoutes from "./seasonal.routes";
import * as services from "./services.handlers";
import * as serviceRoutes from "./services.routes";
import * as staff from "./staff.handlers";
import * as staffRoutes from "./staff.routes";

export const catalogueRouter = createRouter()
  .openapi(categoryRoutes.listCategories, categories.listCategories)
  .openapi(categoryRoutes.createCategory, categories.createCategory)
  .openapi(categoryRoutes.getCategory, categories.getCategory)
  .openapi(categoryRoutes.updateCategory, categories.updateCategory)
  .openapi(categoryRoutes.deleteCategory, categories.deleteCategory)
  .openapi(categoryRoutes.moveCategory, categories.moveCategory)
  .openapi(serviceRoutes.listServices, services.listServices)
  .openapi(serviceRoutes.createService, services.createService)
  .openapi(serviceRoutes.getService, services.getService)
  .openapi(serviceRoutes.updateService, services.updateService)
  .openapi(serviceRoutes.deleteService, services.deleteService)
  .openapi(serviceRoutes.moveService, services.moveService)
  .openapi(staffRoutes.listStaff, staff.listStaff)
  .openapi(staffRoutes.createStaff, staff.createStaff)
  .openapi(staffRoutes.getStaff, staff.getStaff)
  .openapi(staffRoutes.updateStaff, staff.updateStaff)
  .openapi(staffRoutes.deleteStaff, staff.deleteStaff)
  .openapi(scheduleRoutes.getSchedule, schedules.getSchedule)
  .openapi(scheduleRoutes.replaceSchedule, schedules.replaceSchedule)
  .openapi(scheduleRoutes.addTimeOff, schedules.addTimeOff)
  .openapi(scheduleRoutes.removeTimeOff, schedules.removeTimeOff)
  .openapi(scheduleRoutes.setOverride, schedules.setOverride)
  .openapi(scheduleRoutes.removeOverride, schedules.removeOverride)
  .openapi(closureRoutes.listClosures, closures.listClosures)
  .openapi(closureRoutes.createClosure, closures.createClosure)
  .openapi(closureRoutes.deleteClosure, closures.deleteClosure)
  .openapi(seasonalRoutes.listSeasons, seasonal.listSeasons)
  .openapi(seasonalRoutes.previewSeason, seasonal.previewSeason)
  .openapi(seasonalRoutes.createSeason, seasonal.createSeason)
  .openapi(seasonalRoutes.getSeason, seasonal.getSeason)
  .openapi(seasonalRoutes.replaceSeason, seasonal.replaceSeason)
  .openapi(seasonalRoutes.deleteSeason, seasonal.deleteSeason)
  .openapi(resourceRoutes.listResources, resources.listResources)
  .openapi(resourceRoutes.createResource, resources.createResource)
  .openapi(resourceRoutes.getResource, resources.getResource)
  .openapi(resourceRoutes.updateResource, resources.updateResource)
  .openapi(resourceRoutes.deleteResource, resources.deleteResource)
  .openapi(publicRoutes.publicCategories, publicCatalogue.publicCategories)
  .openapi(publicRoutes.publicServices, publicCatalogue.publicServices)
  .openapi(publicRoutes.publicStaff, publicCatalogue.publicStaff);
