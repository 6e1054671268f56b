import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

describe("public surface", () => {
  it("exports exactly these names", async () => {
    const names = async (specifier: string) => Object.keys(await import(specifier)).sort();
    assert.deepEqual(await names("../../src/index.js"), [
      "BuildError",
      "MemoryStore",
      "SsrError",
      "build",
      "createSsrHandler",
    ]);
    assert.deepEqual(await names("../../adapters/express.js"), ["ssrMiddleware"]);
    assert.deepEqual(await names("../../adapters/koa.js"), ["ssrMiddleware"]);
    assert.deepEqual(await names("../../adapters/http.js"), ["createRequestListener"]);
    assert.deepEqual(await names("../../src/client/index.js"), ["Link", "navigate", "withPrefix"]);
    assert.deepEqual(await names("../../src/cache/redis-store.js"), ["redisStore"]);
  });

  it("gives pages this package's own objects for its own ids, the same names as the real entries", async () => {
    const { PROVIDED } = await import("../../src/handler.js");
    assert.deepEqual(
      Object.keys(PROVIDED.get("ssr-pages") as object).sort(),
      Object.keys(await import("../../src/index.js")).sort(),
    );
    assert.equal(PROVIDED.get("ssr-pages/client"), await import("../../src/client/index.js"));
    assert.equal(
      PROVIDED.get("gatsby"),
      await import("../../src/gatsby/index.js"),
      "Gatsby's pages import it as gatsby",
    );
    assert.equal(PROVIDED.get("ssr-pages/gatsby"), PROVIDED.get("gatsby"));
  });

  it("declares every entry point with its types first, the asset types and the pages' tsconfig", () => {
    const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(manifest.exports), [
      ".",
      "./express",
      "./koa",
      "./http",
      "./client",
      "./gatsby",
      "./redis",
      "./assets",
      "./tsconfig.pages.json",
      "./package.json",
    ]);
    for (const key of [".", "./express", "./koa", "./http", "./client", "./gatsby", "./redis"])
      assert.deepEqual(Object.keys(manifest.exports[key] as object), ["types", "default"], key);
    assert.deepEqual(manifest.exports["./assets"], { types: "./types/assets.d.ts" });
    assert.equal(manifest.exports["./tsconfig.pages.json"], "./tsconfig.pages.json");
  });
});

/**
 * `npm pack`, then install the tarball in a new app outside this repository that has nothing but
 * react, react-dom and a framework, as a new user would, and serve a TSX page from it.
 */
describe("npm pack installs and works in a fresh app", { timeout: 240_000 }, () => {
  let app: string;
  const versions = (name: string) =>
    (JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as { version: string })
      .version;

  before(async () => {
    app = mkdtempSync(path.join(os.tmpdir(), "ssr-pages-fresh-app-"));
    const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", app], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = stdout.trim().split("\n").pop() as string;
    writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({
        name: "fresh-app",
        private: true,
        dependencies: {
          "ssr-pages": `file:./${tarball}`,
          react: versions("react"),
          "react-dom": versions("react-dom"),
          express: versions("express"),
          koa: versions("koa"),
          "koa-mount": versions("koa-mount"),
        },
        devDependencies: {
          typescript: versions("typescript"),
          "@types/react": versions("@types/react"),
          "@types/node": versions("@types/node"),
        },
      }),
    );
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: app,
      maxBuffer: 16 * 1024 * 1024,
    });
    mkdirSync(path.join(app, "pages", "items"), { recursive: true });
    writeFileSync(
      path.join(app, "pages", "items", "[id].tsx"),
      `import type { GetServerDataContext, PageProps } from "ssr-pages";
       import { Link, withPrefix } from "ssr-pages/client";
       import logo from "../logo.png";
       import styles from "../item.module.css";
       export function getServerData({ params, query }: GetServerDataContext<{ id: string }>) {
         return { props: { id: params.id, q: typeof query.q === "string" ? query.q : null }, headers: { "X-Fresh": "yes" } };
       }
       export default function Item({ serverData }: PageProps<typeof getServerData>) {
         return <main><h1 className={styles.title}>{"Item " + serverData.id}</h1><img src={withPrefix(logo)} alt="" /><Link to="/items/2">next</Link></main>;
       }`,
    );
    // A Gatsby page as it is: JSX in a .js file, Link and withPrefix from "gatsby" (not installed).
    writeFileSync(
      path.join(app, "pages", "gatsby-page.js"),
      `import * as React from "react";
       import { Link, withPrefix } from "gatsby";
       export async function getServerData() { return { props: { from: "gatsby" } }; }
       export default function GatsbyPage({ serverData }) {
         return <main><p id="from">{serverData.from}</p><Link to="/items/1" activeClassName="on">item</Link><a href={withPrefix("/x")}>x</a></main>;
       }`,
    );
    writeFileSync(path.join(app, "pages", "item.module.css"), ".title { color: rgb(1, 2, 3); }");
    writeFileSync(path.join(app, "pages", "logo.png"), Buffer.from("89504e470d0a1a0a", "hex"));
    writeFileSync(
      path.join(app, "pages", "404.tsx"),
      `export default function NotFound() { return <h1>Nothing here</h1>; }`,
    );
    // The README's TypeScript set-up: the package's tsconfig for pages and its asset types.
    writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        extends: "ssr-pages/tsconfig.pages.json",
        compilerOptions: { types: ["node", "ssr-pages/assets"] },
        include: ["pages"],
      }),
    );
    writeFileSync(
      path.join(app, "server.cjs"),
      `const path = require("node:path");
       const express = require("express");
       const { ssrMiddleware } = require("ssr-pages/express");
       const app = express();
       const pages = ssrMiddleware(path.join(__dirname, "pages"), { dev: false });
       app.use("/shop", pages);
       pages.ready.then(() => { const server = app.listen(0, "127.0.0.1", () => console.log("PORT=" + server.address().port)); });`,
    );
    writeFileSync(
      path.join(app, "server.mjs"),
      `import Koa from "koa";
       import mount from "koa-mount";
       import { ssrMiddleware } from "ssr-pages/koa";
       const app = new Koa();
       const pages = ssrMiddleware(new URL("./pages", import.meta.url).pathname, { dev: false });
       app.use(mount("/shop", pages));
       await pages.ready;
       const server = app.listen(0, "127.0.0.1", () => console.log("PORT=" + server.address().port));`,
    );
  });

  after(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it("builds with `npx ssr-pages build`, and a server started from the build loads no compiler and starts no process", async () => {
    const built = await run("npx", ["--no-install", "ssr-pages", "build", "pages", "--base-path", "/shop"], {
      cwd: app,
    });
    assert.match(built.stdout, /built 2 pages \(0 static\)/);
    writeFileSync(
      path.join(app, "from-build.cjs"),
      `const path = require("node:path");
       const fs = require("node:fs");
       const express = require("express");
       const { ssrMiddleware } = require("ssr-pages/express");
       const app = express();
       const pages = ssrMiddleware(path.join(__dirname, "pages"), { build: path.join(__dirname, ".ssr-pages") });
       app.use("/shop", pages);
       const server = app.listen(0, "127.0.0.1", async () => {
         const page = await fetch("http://127.0.0.1:" + server.address().port + "/shop/items/1");
         const loaded = Object.keys(require.cache).filter((file) => /[\\/]node_modules[\\/](esbuild|oxc-parser|graphql|postcss|sass|sass-embedded|@esbuild)[\\/]/.test(file));
         // Processes whose parent is this one (esbuild's service would be one), from /proc.
         const children = fs.readdirSync("/proc").filter((pid) => /^\\d+$/.test(pid)).filter((pid) => {
           try { return fs.readFileSync("/proc/" + pid + "/stat", "utf8").replace(/^.*\\) /, "").split(" ")[1] === String(process.pid); } catch { return false; }
         });
         console.log(JSON.stringify({ status: page.status, text: await page.text(), loaded, children: children.length }));
         server.close();
       });`,
    );
    const { stdout } = await run(process.execPath, ["from-build.cjs"], { cwd: app });
    const result = JSON.parse(stdout) as { status: number; text: string; loaded: string[]; children: number };
    assert.equal(result.status, 200);
    assert.match(result.text, /Item 1/);
    assert.deepEqual(result.loaded, [], "no compiler module in require.cache");
    assert.equal(result.children, 0, "no child process");
  });

  it("typechecks its pages with the package's tsconfig for pages and asset types", async () => {
    await run(process.execPath, [path.join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
      cwd: app,
    });
  });

  for (const entry of ["server.cjs", "server.mjs"]) {
    it(`serves HTML, page-data and the browser runtime (${entry})`, async () => {
      const child = spawn(process.execPath, [entry], {
        cwd: app,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NODE_ENV: "production" },
      });
      try {
        const port = await new Promise<string>((resolve, reject) => {
          let output = "";
          const onData = (chunk: Buffer) => {
            output += chunk.toString();
            const found = /PORT=(\d+)/.exec(output);
            if (found) resolve(found[1] as string);
          };
          child.stdout.on("data", onData);
          child.stderr.on("data", onData);
          child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}: ${output}`)));
          setTimeout(() => reject(new Error(`${entry} did not start: ${output}`)), 30_000).unref();
        });
        const base = `http://127.0.0.1:${port}/shop`;
        const html = await fetch(`${base}/items/1?q=x`);
        assert.equal(html.status, 200);
        assert.equal(html.headers.get("x-fresh"), "yes");
        const text = await html.text();
        const title = /<h1 class="(item_[0-9a-f]{8}_title)">Item 1<\/h1>/.exec(text)?.[1];
        assert.ok(title, text);
        const logo = /<img src="(\/shop\/_ssr-pages\/logo-[^"]+\.png)"/.exec(text)?.[1];
        assert.ok(logo, "withPrefix gives the asset's URL under the mount");
        assert.equal((await fetch(`http://127.0.0.1:${port}${logo}`)).headers.get("content-type"), "image/png");
        const sheet = /<link rel="stylesheet" href="([^"]+)">/.exec(text)?.[1] ?? "";
        assert.match(await (await fetch(`http://127.0.0.1:${port}${sheet}`)).text(), new RegExp(`\\.${title}\\{`));
        const missing = await fetch(`${base}/items/1/extra`);
        assert.equal(missing.status, 404, "no page: the host's 404");
        assert.match(text, /<a href="\/shop\/items\/2">next<\/a>/);
        const json = (await (await fetch(`${base}/page-data/items/1/page-data.json?q=x`)).json()) as {
          result: { serverData: unknown };
        };
        assert.deepEqual(json.result.serverData, { id: "1", q: "x" });
        const entryScript = /<script type="module" src="([^"]+)"/.exec(text)?.[1];
        assert.ok(entryScript, "the page loads the browser runtime");
        const script = await fetch(`http://127.0.0.1:${port}${entryScript}`);
        assert.equal(script.status, 200);
        assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
        const gatsby = await (await fetch(`${base}/gatsby-page`)).text();
        assert.match(
          gatsby,
          /<p id="from">gatsby<\/p><a href="\/shop\/items\/1">item<\/a><a href="\/shop\/x">x<\/a>/,
          gatsby,
        );
      } finally {
        child.kill();
      }
    });
  }
});
