export interface BundledMigration {
  /** drizzle-kit's file tag, e.g. `0003_bookings`; ordering is by position. */
  tag: string;
  /** Short content hash: an edited, already-applied migration is reported, not silently skipped. */
  hash: string;
  statements: string[];
}
