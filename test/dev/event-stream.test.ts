/**
 * The dev event stream behind compression middleware and with many tabs: Express with
 * `compression()` and Koa with `koa-compress` deliver each event as it happens (uncompressed, since
 * nothing may buffer it), and eight open streams leave the server answering pages at once and all
 * hear the next build.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import compression from "compression";
import express from "express";
import Koa from "koa";
import koaCompress from "koa-compress";
import { ssrMiddleware as expressMiddleware } from "../../adapters/express.js";
import { ssrMiddleware as koaMiddleware } from "../../adapters/koa.js";
import { listenEvents } from "./events.js";

const T = { timeout: 30_000 };

/** What Koa reported to its `error` listeners: a tab that leaves its stream is no error. */
const koaErrors: unknown[] = [];

interface Host {
  name: string;
  start(pagesDir: string): Promise<{ server: http.Server; close: () => Promise<void> }>;
}

const hosts: Host[] = [
  {
    name: "Express with compression()",
    async start(pagesDir) {
      const pages = expressMiddleware(pagesDir, { dev: true, onError: () => undefined });
      const app = express();
      app.use(compression({ threshold: 0 }));
      app.use(pages);
      await pages.ready;
      return { server: app.listen(0, "127.0.0.1"), close: pages.close };
    },
  },
  {
    name: "Koa with koa-compress",
    async start(pagesDir) {
      const pages = koaMiddleware(pagesDir, { dev: true, onError: () => undefined });
      const app = new Koa();
      app.on("error", (error) => koaErrors.push(error));
      app.use(koaCompress({ threshold: 0 }));
      app.use(pages);
      await pages.ready;
      return { server: app.listen(0, "127.0.0.1"), close: pages.close };
    },
  },
];

for (const host of hosts) {
  describe(`the dev event stream through ${host.name}`, () => {
    let root: string;
    let origin: string;
    let running: Awaited<ReturnType<Host["start"]>>;
    const save = (version: number) =>
      writeFileSync(path.join(root, "index.tsx"), `export default function Home() { return <h1>v${version}</h1>; }\n`);

    before(
      async () => {
        mkdirSync(path.resolve(".tmp"), { recursive: true });
        root = mkdtempSync(path.join(path.resolve(".tmp"), "dev-stream-"));
        save(1);
        running = await host.start(root);
        await new Promise((resolve) => running.server.once("listening", resolve));
        origin = `http://127.0.0.1:${(running.server.address() as AddressInfo).port}`;
        // Compiled on its first request: from then on a save rebuilds it.
        assert.equal((await fetch(origin)).status, 200);
      },
      { timeout: 60_000 },
    );

    after(async () => {
      await running?.close();
      running?.server.closeAllConnections();
      running?.server.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it("delivers each event as it happens, not compressed, while pages still are", T, async () => {
      const events = await listenEvents(`${origin}/_ssr-pages/events`, { "accept-encoding": "gzip, br" });
      try {
        assert.equal(events.response.headers["content-encoding"], undefined, "the stream is not compressed");
        assert.equal((await events.next()).errors.length, 0, "the state at connect arrives at once");
        save(2);
        const built = await events.next();
        assert.deepEqual(built.errors, []);
        const page = await fetch(origin, { headers: { "accept-encoding": "gzip" } });
        assert.match(await page.text(), /<h1>v2<\/h1>/);
        assert.equal(page.headers.get("content-encoding"), "gzip", "pages are still compressed");
      } finally {
        events.close();
      }
    });

    it("keeps answering with eight tabs listening, and tells all eight of the next build", T, async () => {
      const tabs = await Promise.all(Array.from({ length: 8 }, () => listenEvents(`${origin}/_ssr-pages/events`)));
      try {
        await Promise.all(tabs.map((tab) => tab.next()));
        const answered = await Promise.all(
          Array.from({ length: 8 }, () => fetch(origin).then((response) => response.status)),
        );
        assert.deepEqual(answered, Array(8).fill(200));
        save(3);
        const heard = await Promise.all(tabs.map((tab) => tab.next()));
        assert.equal(new Set(heard.map((event) => event.id)).size, 1, "one build, heard by every tab");
        assert.match(await (await fetch(origin)).text(), /<h1>v3<\/h1>/);
      } finally {
        for (const tab of tabs) tab.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(koaErrors, [], "tabs that left are not reported as errors");
    });
  });
}
