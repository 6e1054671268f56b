// The architecture rules of eslint.config.mjs, each shown to fail: a deliberate violation, linted as
// if it were a file at the path named, must be reported by the rule that encodes it (and the same
// file without the violation must pass, so a rule that reports everything does not pass either).
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const ROOT = path.resolve(import.meta.dirname, "../..");
/**
 * The repository's config as it is, plus one thing: the probe files exist only as text, so the
 * type-aware rules' project service is told to type them with a default project (where they are
 * checked against Node's and the packages' real types all the same).
 */
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    files: ["**/lint-probe.ts"],
    languageOptions: {
      parserOptions: {
        // The repository's config names its project (tsconfig.build.json), which holds no probe.
        project: null,
        projectService: {
          allowDefaultProject: ["src/lint-probe.ts", "src/*/lint-probe.ts", "adapters/lint-probe.ts"],
          // One probe path per folder: more than the default's 8.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
      },
    },
  },
});

/** The rule ids ESLint reports for `code` as the file at `file` (relative to the repository). */
async function rulesFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  assert.ok(result, `no lint result for ${file}`);
  return result.messages.map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

interface Case {
  rule: string;
  file: string;
  /** The file with the violation. */
  bad: string;
  /** The same file without it. */
  good: string;
}

const cases: Record<string, Case> = {
  "src/ never imports express": {
    rule: "no-restricted-imports",
    file: "src/respond/lint-probe.ts",
    bad: `import express from "express";\nexport const app = express;\n`,
    good: `import path from "node:path";\nexport const join = path.join;\n`,
  },
  "src/ never imports koa": {
    rule: "no-restricted-imports",
    file: "src/lint-probe.ts",
    bad: `import type Koa from "koa";\nexport type App = Koa;\n`,
    good: `export type App = { use(): void };\n`,
  },
  "src/ never imports @koa/router": {
    rule: "no-restricted-imports",
    file: "src/cache/lint-probe.ts",
    bad: `import Router from "@koa/router";\nexport const router = new Router();\n`,
    good: `export const router = new Map<string, string>();\n`,
  },
  "src/ never imports adapters/": {
    rule: "no-restricted-imports",
    file: "src/runtime/lint-probe.ts",
    bad: `import { ssrMiddleware } from "../../adapters/express.js";\nexport const make = ssrMiddleware;\n`,
    good: `import { createSsrHandler } from "../handler.js";\nexport const make = createSsrHandler;\n`,
  },
  "src/ never imports a framework's own files": {
    rule: "no-restricted-imports",
    file: "src/respond/lint-probe.ts",
    bad: `import Router from "express/lib/router/index.js";\nexport const router = Router;\n`,
    good: `import { Readable } from "node:stream";\nexport const router = Readable;\n`,
  },
  "src/ never imports a framework at run time (import())": {
    rule: "no-restricted-syntax",
    file: "src/runtime/lint-probe.ts",
    bad: `export const load = () => import("koa");\n`,
    good: `export const load = () => import("react");\n`,
  },
  "src/ never imports an adapter through the package's own name": {
    rule: "no-restricted-imports",
    file: "src/lint-probe.ts",
    bad: `import { ssrMiddleware } from "ssr-pages/express";\nexport const make = ssrMiddleware;\n`,
    good: `import { createSsrHandler } from "./handler.js";\nexport const make = createSsrHandler;\n`,
  },
  "src/client/ never loads a Node module at run time (import())": {
    rule: "no-restricted-syntax",
    file: "src/client/lint-probe.ts",
    bad: `export const load = () => import("node:fs");\n`,
    good: `export const load = () => import("./rich-props.js");\n`,
  },
  "src/client/ never reaches the server through src/common/": {
    rule: "no-restricted-imports",
    file: "src/client/lint-probe.ts",
    bad: `import { createSsrHandler } from "../common/../handler.js";\nexport const make = createSsrHandler;\n`,
    good: `import { pageDataPath } from "../common/urls.js";\nexport const make = pageDataPath;\n`,
  },
  "src/client/ never imports a package only the server loads": {
    rule: "no-restricted-imports",
    file: "src/client/lint-probe.ts",
    bad: `import sharp from "sharp";\nexport const image = sharp;\n`,
    good: `import { createRoot } from "react-dom/client";\nexport const image = createRoot;\n`,
  },
  "src/gatsby/ and src/gatsby-image/ (browser code too) never import a Node module": {
    rule: "no-restricted-imports",
    file: "src/gatsby-image/lint-probe.ts",
    bad: `import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n`,
    good: `import { withPrefix } from "../client/with-prefix.js";\nexport const read = withPrefix;\n`,
  },
  "src/client/ never imports node:*": {
    rule: "no-restricted-imports",
    file: "src/client/lint-probe.ts",
    bad: `import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n`,
    good: `import { withPrefix } from "./with-prefix.js";\nexport const read = withPrefix;\n`,
  },
  "src/client/ never imports a Node module by its bare name": {
    rule: "no-restricted-imports",
    file: "src/client/lint-probe.ts",
    bad: `import path from "path";\nexport const join = path.join;\n`,
    good: `export const join = (a: string, b: string) => a + "/" + b;\n`,
  },
  "src/client/ never imports the server's modules": {
    rule: "no-restricted-imports",
    file: "src/client/lint-probe.ts",
    bad: `import { createSsrHandler } from "../handler.js";\nexport const make = createSsrHandler;\n`,
    good: `import { pageDataPath } from "../common/urls.js";\nexport const make = pageDataPath;\n`,
  },
  "src/client/ never imports src/common/'s server-only modules": {
    rule: "no-restricted-imports",
    file: "src/client/lint-probe.ts",
    bad: `import { warnOnce } from "../common/warn-once.js";\nexport const version = warnOnce;\n`,
    good: `import { pageDataPath } from "../common/urls.js";\nexport const version = pageDataPath;\n`,
  },
  "no floating promise in src/ (type-aware: a promise from a library's types)": {
    rule: "@typescript-eslint/no-floating-promises",
    file: "src/compile/lint-probe.ts",
    bad: `import { writeFile } from "node:fs/promises";\nexport function save(file: string): void {\n  writeFile(file, "x");\n}\n`,
    good: `import { writeFile } from "node:fs/promises";\nexport async function save(file: string): Promise<void> {\n  await writeFile(file, "x");\n}\n`,
  },
  "no floating promise in adapters/ (type-aware: a method typed by an interface)": {
    rule: "@typescript-eslint/no-floating-promises",
    file: "adapters/lint-probe.ts",
    bad: `interface Store { flush(): Promise<void> }\nexport function end(store: Store): void {\n  store.flush();\n}\n`,
    good: `interface Store { flush(): Promise<void> }\nexport function end(store: Store): void {\n  store.flush().catch(() => undefined);\n}\n`,
  },
  "no console.* in src/": {
    rule: "no-console",
    file: "src/images/lint-probe.ts",
    bad: `export function report(message: string): void {\n  console.warn(message);\n}\n`,
    good: `export function report(message: string): void {\n  process.emitWarning(message, "SsrPagesWarning");\n}\n`,
  },
};

describe("architecture rules (eslint.config.mjs)", () => {
  for (const [name, { rule, file, bad, good }] of Object.entries(cases)) {
    it(`${name}: ${rule} reports the violation, and not the same file without it`, async () => {
      assert.ok((await rulesFor(file, bad)).includes(rule), `${rule} did not report the violation in ${file}`);
      assert.deepEqual(await rulesFor(file, good), [], `the file without the violation is clean`);
    });
  }

  it("adapters/ and test/ may import the frameworks (the rule is src/'s alone)", async () => {
    assert.deepEqual(
      await rulesFor("adapters/lint-probe.ts", `import express from "express";\nexport const app = express;\n`),
      [],
    );
  });
});
