// One linter for the tree: ESLint with typescript-eslint (type-aware where a rule needs types),
// Prettier for the format (eslint-config-prettier turns off what would fight it). Why this and not
// Biome: CONTRIBUTING.md, "Lint and format". The project's own rules, its architecture, are the
// `no-restricted-imports` and `no-console` blocks; test/lint/architecture.test.ts shows each one fail.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";

/** Node's modules, which browser code cannot import (bare and `node:`). */
const NODE_MODULES = builtinModules.filter((name) => !name.startsWith("_"));
/** The frameworks, also under the names the repository installs them by (express4 is Express 4). */
const FRAMEWORKS = ["express", "express4", "koa", "@koa/router"];
/** A specifier of a framework or of one of its files, for the dynamic imports no-restricted-imports misses. */
const FRAMEWORK_SPECIFIER = "/^(express|express4|koa|@koa\\u002Frouter)(\\u002F|$)/";
const NODE_SPECIFIER = `/^(node:|(${NODE_MODULES.map((name) => name.replaceAll("/", "\\u002F")).join("|")})(\\u002F|$))/`;

/** no-restricted-imports' paths: the frameworks, for files under `where`. */
const frameworkPaths = (where) =>
  FRAMEWORKS.map((name) => ({
    name,
    message: `${where} never imports a framework: adapters/ convert to and from it.`,
  }));
/** Node's modules and the packages only the server loads, for code that runs in the browser. */
const browserForbidden = (message) =>
  [...NODE_MODULES, "esbuild", "sharp", "react-dom/server", "ssr-pages"].map((name) => ({ name, message }));
/** A framework's files, and adapters/ by path or by the package's own export names. */
const serverPatterns = [
  { group: ["express/*", "koa/*", "@koa/router/*"], message: "src/ never imports a framework." },
  {
    group: ["**/adapters", "**/adapters/**", "ssr-pages/express", "ssr-pages/koa", "ssr-pages/http"],
    message: "src/ never imports adapters/: they depend on src/, not the other way.",
  },
];
/** no-restricted-syntax entries for `import("…")` of a specifier matching `pattern` (a regex literal's text). */
const dynamicImportsOf = (pattern, message) => [
  { selector: `ImportExpression[source.value=${pattern}]`, message },
  { selector: `CallExpression[callee.name="require"][arguments.0.value=${pattern}]`, message },
];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "**/node_modules/**",
      ".tmp/**",
      "**/.ssr-pages/**",
      "**/*.d.ts",
      // Apps and sites the tests and benchmarks serve: their code is what a user writes, some of it
      // broken on purpose, and its bytes are what the tests check (line and column of an error).
      "**/fixtures/**",
      "test/gatsby/site/**",
      "test/gatsby-starter/site/**",
      "bench/pages/**",
      "bench/cache-pages/**",
      "bench/peers/**",
      "bench/.sites/**",
      "examples/gatsby-site/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore says "unused on purpose" (a parameter a signature requires).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // A `let` a callback reads before its one assignment (optional-chained) cannot become a const.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Plain JavaScript files (scripts, CommonJS helpers) run in Node.
    files: ["**/*.{js,cjs,mjs}"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        performance: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The package itself: a promise nobody waits for loses its error (and may outlive a request).
    files: ["src/**/*.{ts,tsx}", "adapters/**/*.ts"],
    // Typed by the package's own project (src/ and adapters/, tsconfig.build.json), not the root
    // tsconfig, whose program holds test/ and bench/ as well: a third less time for the whole lint.
    languageOptions: { parserOptions: { project: "./tsconfig.build.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // src/ is framework-blind: one request/response shape, converted once in adapters/.
    files: ["src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { paths: frameworkPaths("src/"), patterns: serverPatterns }],
      // The same for `import("express")`, which no-restricted-imports does not see.
      "no-restricted-syntax": ["error", ...dynamicImportsOf(FRAMEWORK_SPECIFIER, "src/ never imports a framework.")],
      // Errors go through onError (options.ts's default logs them), warnings through process.emitWarning.
      "no-console": "error",
    },
  },
  {
    // Browser code: no Node module, nothing of the server (src/common holds what both sides share).
    files: ["src/client/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...frameworkPaths("src/client/"), ...browserForbidden("src/client/ runs in the browser.")],
          patterns: [
            ...serverPatterns,
            { group: ["node:*"], message: "src/client/ runs in the browser: no Node module." },
            {
              group: ["../*", "!../common", "./../*", "../common/../*"],
              message: "src/client/ imports only itself and src/common/ (the server's modules are not the browser's).",
            },
            {
              group: ["../common/optional-peer*", "../common/etag*", "../common/version*", "../common/warn-once*"],
              message: "server-only module of src/common/.",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        ...dynamicImportsOf(FRAMEWORK_SPECIFIER, "src/ never imports a framework."),
        ...dynamicImportsOf(NODE_SPECIFIER, "src/client/ runs in the browser: no Node module."),
      ],
    },
  },
  {
    // The `gatsby` module and gatsby-plugin-image's components run in the browser too.
    files: ["src/gatsby/**/*.{ts,tsx}", "src/gatsby-image/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...frameworkPaths("src/"), ...browserForbidden("this module runs in the browser too.")],
          patterns: [...serverPatterns, { group: ["node:*"], message: "this module runs in the browser too." }],
        },
      ],
      "no-restricted-syntax": [
        "error",
        ...dynamicImportsOf(FRAMEWORK_SPECIFIER, "src/ never imports a framework."),
        ...dynamicImportsOf(NODE_SPECIFIER, "this module runs in the browser too: no Node module."),
      ],
    },
  },
  prettier,
);
