/**
 * The layer rule (README "Layout"): imports point down only.
 *   domain (errors), availability (pure), db          bottom
 *   http, tenancy                    infrastructure, unaware of features and pages
 *   auth, catalogue, customers, settings, bookings, payments, notify, platform, system, demo   features
 *   web, admin, jobs                 screens and scheduled work
 *   app.ts, index.ts                 mount everything
 * env.ts (the bindings type and its check) may be imported from anywhere.
 * `npm run lint:deps` checks it; .ci/run runs it.
 */
const FEATURES = "(auth|catalogue|customers|settings|bookings|payments|notify|platform|system|demo)";
const TOP = "(web|admin|jobs)";

module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "No file cycle, type-only imports included.", from: {}, to: { circular: true } },
    {
      name: "availability-is-pure",
      severity: "error",
      comment: "The slot engine imports nothing else from src/ (it is tested without I/O).",
      from: { path: "^src/availability/" },
      to: { path: "^src/", pathNot: "^src/availability/" },
    },
    {
      name: "db-at-the-bottom",
      severity: "error",
      from: { path: "^src/db/" },
      to: { path: "^src/", pathNot: ["^src/db/", "^src/domain/", "^src/env\\.ts$"] },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "Domain errors and types import nothing else from src/.",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" },
    },
    {
      name: "infrastructure-unaware-of-features",
      severity: "error",
      comment: "http and tenancy know nothing of features, pages or jobs.",
      from: { path: "^src/(http|tenancy)/" },
      to: { path: `^src/(${FEATURES.slice(1, -1)}|${TOP.slice(1, -1)})/|^src/(app|index)\\.tsx?$` },
    },
    {
      name: "features-below-screens",
      severity: "error",
      from: { path: `^src/${FEATURES}/` },
      to: { path: `^src/${TOP}/|^src/(app|index)\\.tsx?$` },
    },
    {
      name: "screens-do-not-import-each-other",
      severity: "error",
      from: { path: "^src/(web|admin)/" },
      to: { path: "^src/(jobs|app|index)" },
    },
    { name: "no-test-code-in-src", severity: "error", from: { path: "^src/", pathNot: "\\.test\\.ts$" }, to: { path: "^(test|bench)/|(test-utils|bench-fixture)\\.ts$" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$|node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
