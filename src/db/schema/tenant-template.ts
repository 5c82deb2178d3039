// Entry point for drizzle-kit only: every tenant table, in the template schema.
// A table added to the factory must be exported here to get a migration.
import { TEMPLATE_SCHEMA, tenantTables } from "./tenant";

export const {
  schema: tenantTemplate,
  settings,
  serviceCategories,
  services,
  staff,
  serviceStaff,
  staffAvailability,
  closures,
  seasonalHours,
  seasonalHoursStaff,
  resources,
  customers,
  bookings,
  bookingEvents,
  bookingEventQueue,
  paymentTransactions,
  notifications,
  notificationAttempts,
  webhookEndpoints,
  jobCursors,
  shortLinks,
  messageOptOuts,
  inboundMessages,
  alertPreferences,
} = tenantTables(TEMPLATE_SCHEMA);
