// ESLint (flat config) for the addon's JavaScript: Odoo 18 ES modules with OWL
// components, run in the browser. Imports (`@odoo/owl`, `@web/...`,
// `@stock_asset_tracking/...`) are resolved by Odoo's asset bundles, not by
// ESLint, which only checks the code itself. Run by pre-commit (scripts/dev.sh
// installs eslint, @eslint/js and globals in node_modules).
import js from "@eslint/js";
import globals from "globals";

export default [
    {
        ignores: [".build/**", ".venv/**", "node_modules/**"],
    },
    js.configs.recommended,
    {
        files: ["**/*.js"],
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "module",
            globals: {
                ...globals.browser,
                // the globals Odoo's web client defines
                luxon: "readonly",
                odoo: "readonly",
                owl: "readonly",
            },
        },
        linterOptions: {
            reportUnusedDisableDirectives: "error",
        },
        rules: {
            // as Odoo's own eslint settings
            curly: "error",
            eqeqeq: ["error", "smart"],
            "no-console": "error",
            "no-restricted-globals": ["error", "event", "self"],
            "no-var": "error",
            "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
            "object-shorthand": ["error", "always"],
            "prefer-const": ["error", { destructuring: "all" }],
        },
    },
    {
        files: ["eslint.config.mjs"],
        languageOptions: { sourceType: "module", globals: globals.node },
    },
];
