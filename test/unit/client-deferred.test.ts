/**
 * The browser's decoder of rich and deferred props (client/deferred.ts), against the server's encoder
 * (data/serialize.ts, data/deferred.ts): values round-trip, deferred ids become promises that settle
 * from streamed page data line by line, and a body that ends early fails what is pending.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "devalue";
import { decodePageData, DeferredValues, readPageDataStream } from "../../src/client/deferred.js";
import type { PageData } from "../../src/client/page-data.js";
import { serializeProps } from "../../src/data/serialize.js";

const pageData = (serverData: unknown): PageData => ({
  componentChunkName: "p",
  path: "/p",
  result: { serverData, serverDataFormat: "devalue" },
  staticQueryHashes: [],
  module: "/m.js",
});

/** A body that sends `chunks` one by one, and can break off. */
function body(chunks: string[], broken = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const next = chunks.shift();
      if (next !== undefined) controller.enqueue(encoder.encode(next));
      else if (broken) controller.error(new Error("connection reset"));
      else controller.close();
    },
  });
}

describe("the browser's decoder of rich and deferred props", () => {
  it("decodes what the server encoded into the same values, deferred ones as promises", async () => {
    const shared = { n: 1 };
    const serialized = serializeProps(
      { when: new Date(5), set: new Set([shared]), again: shared, later: Promise.resolve(1) },
      "p.tsx",
    );
    const values = new DeferredValues();
    const decoded = (await decodePageData(pageData(JSON.parse(serialized?.json as string)), values)).result
      .serverData as Record<string, unknown>;
    assert.ok(decoded.when instanceof Date && decoded.when.getTime() === 5);
    assert.equal([...(decoded.set as Set<unknown>)][0], decoded.again);
    assert.ok(decoded.later instanceof Promise);
    values.settle(1, { value: JSON.parse(stringify(new Map([["k", "v"]]))) });
    assert.deepEqual(await decoded.later, new Map([["k", "v"]]));
  });

  it("leaves plain page data untouched", () => {
    const plain: PageData = {
      componentChunkName: "p",
      path: "/p",
      result: { serverData: { a: 1 } },
      staticQueryHashes: [],
      module: "/m.js",
    };
    assert.equal(decodePageData(plain, new DeferredValues()), plain);
  });

  it("reads streamed page data: the envelope first, then each value as its line arrives, split anywhere", async () => {
    const envelope = JSON.stringify(
      pageData(
        JSON.parse(
          serializeProps({ a: new Promise(() => undefined), b: new Promise(() => undefined) }, "p.tsx")?.json as string,
        ),
      ),
    );
    const lines = `${envelope}\n{"id":2,"error":"down"}\n{"id":1,"value":${stringify(new Set([7]))}}\n`;
    const { pageData: first, values } = await readPageDataStream(
      body([lines.slice(0, 10), lines.slice(10, envelope.length + 5), lines.slice(envelope.length + 5)]),
    );
    const decoded = (await decodePageData(first as PageData, values)).result.serverData as {
      a: Promise<unknown>;
      b: Promise<unknown>;
    };
    assert.deepEqual(await decoded.a, new Set([7]));
    await assert.rejects(decoded.b, /down/);
  });

  it("fails what is still pending when the body ends or breaks off", async () => {
    const envelope = JSON.stringify(
      pageData(JSON.parse(serializeProps({ a: new Promise(() => undefined) }, "p.tsx")?.json as string)),
    );
    for (const broken of [false, true]) {
      const { pageData: first, values } = await readPageDataStream(body([`${envelope}\n`], broken));
      const decoded = (await decodePageData(first as PageData, values)).result.serverData as { a: Promise<unknown> };
      await assert.rejects(decoded.a, broken ? /broke off/ : /ended before/);
    }
  });
});
