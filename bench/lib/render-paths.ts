/**
 * String or stream: CPU per render of the product page with `renderToString` and with
 * `renderToPipeableStream` (drained into a sink), in this process, same data.
 */
import { Writable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { loadProduct, ProductPage } from "../baseline/product.js";

/** Microseconds of CPU per render for each path. */
export async function measureRenderPaths(iterations: number): Promise<{ stringUs: number; streamUs: number }> {
  const element = createElement(ProductPage, { serverData: loadProduct("1") });
  const time = async (render: () => Promise<void> | void) => {
    for (let i = 0; i < Math.min(200, iterations); i++) await render(); // warm up the JIT
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await render();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / iterations;
  };
  const stringUs = await time(() => void renderToString(element));
  const streamUs = await time(
    () =>
      new Promise<void>((resolve, reject) => {
        const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
        sink.on("finish", resolve);
        const stream = renderToPipeableStream(element, { onAllReady: () => stream.pipe(sink), onError: reject });
      }),
  );
  return { stringUs, streamUs };
}
