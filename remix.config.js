/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Tests, dotfiles and helpers beside routes must never become routes.
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/*.spec.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: false,
    // Decided in docs/decisions/0002-single-fetch.md.
    v3_singleFetch: true,
  },
};
