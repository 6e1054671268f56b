// docs/deploying.md's production server: built with the CLI, then started from the build, as a deploy does.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import request from "supertest";
import { createApp } from "../production/server.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const out = mkdtempSync(path.join(tmpdir(), "ssr-pages-production-"));
after(() => rmSync(out, { recursive: true, force: true }));

before(async () => {
  // The CLI, as `npx ssr-pages build examples/pages --out <dir>` runs it.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "src/cli.ts"), "build", path.join(ROOT, "examples/pages"), "--out", out],
    { cwd: ROOT },
  );
  assert.match(stdout, /built 4 pages \(1 static\)/);
});

test("serves the pages from the build: a static page with its ETag, a page with getServerData rendered per request", async () => {
  const app = createApp(out);
  const about = await request(app).get("/about").expect(200);
  assert.equal(about.headers["cache-control"], "public, max-age=0, must-revalidate");
  await request(app)
    .get("/about")
    .set("if-none-match", about.headers.etag as string)
    .expect(304);
  const product = await request(app).get("/products/2").expect(200);
  assert.match(product.text, /<h1>Pour-over kettle<\/h1>/);
  await request(app).get("/health").expect(200, { ok: true });
  await request(app).get("/nope").expect(404);
});
