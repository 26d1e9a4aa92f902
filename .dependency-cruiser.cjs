/**
 * The layers, checked by `npm run lint`. Imports flow one way:
 *   routes → services → models → db/ and emails/
 * with pure helpers (app/lib, the zod-free app/schemas/*-fields.ts) importable from anywhere and importing
 * nothing above them. Type-only imports do not count: they vanish from the built code.
 */
const value = { dependencyTypesNot: ["type-only"] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules that import each other (type-only imports aside).",
      from: {},
      to: { circular: true, viaOnly: value },
    },
    {
      name: "lib-is-pure",
      severity: "error",
      comment: "app/lib holds pure helpers: nothing from routes, services, models, components, db/ or emails/.",
      from: { path: "^app/lib/" },
      to: {
        path: "^(app/(routes|services|models|components|mail)/|app/[^/]+\\.server\\.ts$|db/|emails/|server/)",
        ...value,
      },
    },
    {
      name: "models-below-services",
      severity: "error",
      comment: "Models are data access: they do not call services, routes or components.",
      from: { path: "^app/models/" },
      to: { path: "^(app/(routes|services|components|mail)/|server/)", ...value },
    },
    {
      name: "services-below-routes",
      severity: "error",
      from: { path: "^app/(services|mail)/" },
      to: { path: "^(app/(routes|components)/|server/)", ...value },
    },
    {
      name: "components-are-presentational",
      severity: "error",
      comment: "Components get their data from routes; they import no data access.",
      from: { path: "^app/components/" },
      to: { path: "^(app/(routes|services|models|mail)/|db/|emails/|server/)", ...value },
    },
    {
      name: "routes-go-through-models",
      severity: "error",
      comment: "Routes reach the database and the emails through models and services.",
      from: { path: "^app/routes/" },
      to: { path: "^(db/|server/)", ...value },
    },
    {
      name: "schemas-are-low",
      severity: "error",
      from: { path: "^app/schemas/" },
      to: { path: "^(app/(routes|services|models|components|mail)/|db/|emails/|server/)", ...value },
    },
    {
      name: "db-and-emails-are-the-floor",
      severity: "error",
      comment: "db/ and emails/ never import the app.",
      from: { path: "^(db|emails)/" },
      to: { path: "^(app|server)/", ...value },
    },
    {
      name: "queries-live-in-models",
      severity: "error",
      comment: "All SQL is written in app/models (and db/ for the dialects, migrations and the seed).",
      from: { pathNot: "^(app/models|db)/" },
      to: { path: "node_modules/kysely/", ...value },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(build|public/build)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
