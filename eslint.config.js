// Lint of bordermap's page scripts (src/bordermap/render/leaflet/web/): plain browser
// scripts, not modules, each inlined once in a page's head and sharing globals by name.
// Vendored files (src/bordermap/assets/) are other projects' code and are not linted.
const js = require("@eslint/js");
const globals = require("globals");

// What one file defines and another calls (core.js is the bridge from the page's data).
const bordermap = Object.fromEntries(
  [
    "bordermapButton",
    "bordermapCaseWorld",
    "bordermapDraw",
    "bordermapFold",
    "bordermapIndexCases",
    "bordermapLabelLayers",
    "bordermapNameAnchors",
    "bordermapRouteLines",
    "bordermapPlaceLabels",
    "bordermapPlainText",
  ].map((name) => [name, "readonly"]),
);

module.exports = [
  { ignores: ["src/bordermap/assets/**", "node_modules/**", "**/*.min.js"] },
  js.configs.recommended,
  {
    files: ["src/bordermap/render/leaflet/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly", ...bordermap },
    },
    rules: {
      // Top-level functions are the scripts' entry points: called by name from the page.
      "no-unused-vars": ["error", { vars: "local", args: "after-used" }],
      "no-redeclare": ["error", { builtinGlobals: false }],
    },
  },
  {
    // The label placer also exports itself where it runs under Node (CommonJS).
    files: ["src/bordermap/render/leaflet/web/labels.js"],
    languageOptions: { globals: { module: "readonly" } },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];
