import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { compilePages, type ClientFiles, type CompileOutput } from "../../src/compile/compile.js";
import { client, NO_SPECIAL } from "./compile-project.js";
import { loaderAt } from "../../src/common/page-groups.js";
import { PackedFiles } from "../../src/runtime/packed-files.js";

/** Compiles `pages` of `dir` as the middleware does, with no 404, 500 or `_app`, and the given environment. */
function compile(
  dir: string,
  pages: readonly string[],
  options: { dev: boolean; client?: ClientFiles | undefined; env?: NodeJS.ProcessEnv },
): Promise<CompileOutput> {
  return compilePages({
    pagesDir: dir,
    pages,
    special: NO_SPECIAL,
    dev: options.dev,
    client: "client" in options ? options.client : client,
    env: options.env ?? {},
  });
}

/** Every browser file of a compile (modules, stylesheets, assets), as one packed set. */
const browserFiles = (output: CompileOutput): PackedFiles =>
  new PackedFiles([...(output.browser?.files ?? []), ...output.assets]);

function pagesDir(files: Record<string, string>): string {
  // Inside the repository, so the pages resolve this checkout's React like an app's pages would.
  const root = path.resolve(".tmp");
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, "compile-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("compilePages", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("keeps getServerData and what only it uses out of the browser bundle", async () => {
    const dir = pagesDir({
      "secret.server.ts": `export const db = { password: "SERVER_ONLY_PASSWORD" };`,
      "index.tsx": `
        import { readFileSync } from "node:fs";
        import { db } from "./secret.server";
        const SERVER_ONLY_HELPER = () => readFileSync("/etc/hostname", "utf8") + db.password;
        export async function getServerData() { return { props: { v: SERVER_ONLY_HELPER() + "GSD_BODY_MARKER" } }; }
        export function Head() { return <title>HEAD_MARKER</title>; }
        export default function Page() { return <p>PAGE_MARKER</p>; }
      `,
    });
    dirs.push(dir);
    const output = await compile(dir, ["index.tsx"], { dev: true });
    assert.deepEqual(output.errors, []);
    assert.deepEqual(loaderAt(output.server.pages.get("index.tsx") ?? -1), { group: "pages-0.js", index: 0 });
    assert.ok([...output.server.files.values()].some((file) => file.toString().includes("GSD_BODY_MARKER")));
    const browser = output.browser;
    assert.ok(browser);
    const files = browserFiles(output);
    const all = [...files.names()].map((name) => String(files.get(name))).join("\n");
    assert.match(all, /PAGE_MARKER/);
    assert.match(all, /HEAD_MARKER/);
    for (const secret of ["GSD_BODY_MARKER", "SERVER_ONLY_PASSWORD", "SERVER_ONLY_HELPER", "/etc/hostname"]) {
      assert.doesNotMatch(all, new RegExp(secret), `${secret} leaked into the browser bundle`);
    }
    assert.match(browser.entry, /^entry-[A-Z0-9]+\.js$/);
    assert.match(browser.pages.get("index.tsx")?.module ?? "", /^p0-[A-Z0-9]+\.js$/);
  });

  it("gives a page that imports CSS its stylesheet, and no other page one", async () => {
    const dir = pagesDir({
      "styled.css": ".styled { color: rebeccapurple }",
      "styled.tsx": `import "./styled.css";\nexport default function Styled() { return <p className="styled">styled</p>; }`,
      "plain.tsx": `export default function Plain() { return <p>plain</p>; }`,
    });
    dirs.push(dir);
    const output = await compile(dir, ["styled.tsx", "plain.tsx"], { dev: false });
    assert.deepEqual(output.errors, []);
    const css = output.browser?.pages.get("styled.tsx")?.css[0];
    assert.match(css ?? "", /^p0-\w+\.css$/);
    assert.match(String(browserFiles(output).get(css ?? "") ?? ""), /\.styled\{color:/);
    assert.deepEqual(output.browser?.pages.get("plain.tsx")?.css, []);
    assert.match(output.browser?.pages.get("plain.tsx")?.module ?? "", /^p1-\w+\.js$/);
  });

  it("isolates a page with a syntax error and names its file and line", async () => {
    const dir = pagesDir({
      "good.tsx": `export default function Good() { return <p>good</p>; }`,
      "broken.tsx": `export default function Broken() {\n  return <p>broken</p>;\n  const = ;\n}`,
    });
    dirs.push(dir);
    const output = await compile(dir, ["good.tsx", "broken.tsx"], { dev: false });
    assert.equal(output.errors.length, 1);
    assert.equal(output.errors[0]?.file, "broken.tsx");
    assert.match(output.errors[0]?.message ?? "", /^broken\.tsx:3:\d+: /);
    assert.ok(output.server.pages.has("good.tsx"));
    assert.ok(output.server.failed.has("broken.tsx"));
    assert.equal(output.server.pages.has("broken.tsx"), false);
    assert.ok(output.browser?.pages.has("good.tsx"), "the other pages still get their browser modules");
    assert.equal(output.browser?.pages.has("broken.tsx"), false);
  });

  it("leaves ssr-pages' own ids to the running package where tsconfig paths map them to its sources", async () => {
    // This repository's tsconfig maps `ssr-pages` and `ssr-pages/client` to src/, as a monorepo's
    // would: the server code still requires them, and holds no copy of the package.
    const dir = pagesDir({
      "index.tsx": `
        import { SsrError } from "ssr-pages";
        import { Link } from "ssr-pages/client";
        export async function getServerData() { if (Math.random() > 2) throw new SsrError(410); return { props: {} }; }
        export default function Page() { return <Link to="/x">x</Link>; }
      `,
    });
    dirs.push(dir);
    const output = await compile(dir, ["index.tsx"], { dev: false });
    assert.deepEqual(output.errors, []);
    const server = [...output.server.files.values()].map((file) => file.toString()).join("\n");
    assert.match(server, /require\("ssr-pages"\)/);
    assert.match(server, /require\("ssr-pages\/client"\)/);
    assert.doesNotMatch(
      server,
      /function createSsrHandler|class SsrError/,
      "a copy of the package is in the server code",
    );
    assert.ok(server.length < 20_000, `the server code of one small page is ${server.length} bytes`);
  });
});
