/**
 * The props codecs, in this process: encode and decode of a plain-JSON props object (JSON, today's
 * fast path, against devalue) and of a rich one (Date, Map, Set, BigInt, RegExp, undefined, shared
 * references) with devalue, and with superjson and turbo-stream when they are installed in
 * .tmp/codecs (`npm install --prefix .tmp/codecs superjson turbo-stream`; they are not the package's
 * dependencies).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify } from "devalue";
import { serializeProps } from "../../src/data/serialize.js";
import { ROOT } from "./build.js";
import { median } from "./stats.js";

/** One codec: props to text and back; either side may be asynchronous (turbo-stream's are streams). */
export interface Codec {
  name: string;
  encode(value: unknown): string | Promise<string>;
  decode(text: string): unknown;
}

/** JSON as ssr-pages sends plain props: `serializeProps` (JSON.stringify and the walk that checks JSON carries them), then `JSON.parse`. */
export const jsonCodec: Codec = {
  name: "JSON (serializeProps + JSON.parse)",
  encode: (value) => serializeProps(value, "bench")?.json ?? "",
  decode: (text) => JSON.parse(text),
};

/** devalue 6, as ssr-pages sends rich props. */
export const devalueCodec: Codec = {
  name: "devalue stringify + parse",
  encode: (value) => stringify(value),
  decode: (text) => parse(text),
};

/** superjson and turbo-stream from .tmp/codecs, or the reason they are not there. */
export async function optionalCodecs(): Promise<{ codecs: Codec[]; missing: string[] }> {
  const require = createRequire(path.join(ROOT, ".tmp", "codecs", "package.json"));
  const load = async (name: string): Promise<Record<string, unknown> | undefined> => {
    try {
      return (await import(pathToFileURL(require.resolve(name)).href)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const codecs: Codec[] = [];
  const missing: string[] = [];
  const superjson = (await load("superjson"))?.default as
    { stringify(value: unknown): string; parse(text: string): unknown } | undefined;
  if (superjson)
    codecs.push({
      name: `superjson ${versionOf(require, "superjson")}`,
      encode: (value) => superjson.stringify(value),
      decode: (text) => superjson.parse(text),
    });
  else missing.push("superjson");
  const turbo = (await load("turbo-stream")) as
    | { encode(value: unknown): ReadableStream<string>; decode(stream: ReadableStream<string>): Promise<unknown> }
    | undefined;
  if (turbo) {
    codecs.push({
      name: `turbo-stream ${versionOf(require, "turbo-stream")}`,
      encode: async (value) => {
        let text = "";
        for await (const chunk of turbo.encode(value) as unknown as AsyncIterable<string>) text += chunk;
        return text;
      },
      decode: (text) =>
        turbo.decode(
          new ReadableStream<string>({ start: (controller) => (controller.enqueue(text), controller.close()) }),
        ),
    });
  } else missing.push("turbo-stream");
  return { codecs, missing };
}

/** The installed version of `name` (read from its folder: superjson's `exports` do not list its package.json). */
function versionOf(require: NodeJS.Require, name: string): string {
  try {
    const main = require.resolve(name);
    const root = main.slice(
      0,
      main.lastIndexOf(`${path.sep}node_modules${path.sep}${name}${path.sep}`) +
        `${path.sep}node_modules${path.sep}${name}`.length,
    );
    return (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "";
  }
}

/** The authors of the reviews; in the rich props, one object each, shared by every review they wrote. */
export const AUTHORS = ["Ada", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken"];

/** A product page's props, plain JSON: the product and `count` reviews, dates as ISO strings. */
export function plainProps(count: number): Record<string, unknown> {
  return {
    product: {
      id: "sku-1042",
      title: "Trail running shoe, 2026 edition",
      description: "A light trail shoe with a rock plate, a 6 mm drop and a sticky rubber outsole for wet rock.",
      price: 129.9,
      currency: "EUR",
      inStock: true,
      images: ["/img/1042-side.jpg", "/img/1042-top.jpg", "/img/1042-sole.jpg"],
      specs: { weight: "240 g", drop: "6 mm", stack: "28 mm", lugs: "4 mm" },
    },
    reviews: Array.from({ length: count }, (_, i) => ({
      id: `r-${1000 + i}`,
      author: { name: AUTHORS[i % AUTHORS.length], verified: i % 3 === 0 },
      stars: 1 + (i % 5),
      text: `Review ${i}: light, grippy on wet rock, and the laces stay tied for a whole long run.`,
      createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      helpful: i * 3,
      tags: ["fit", "grip"],
    })),
  };
}

/**
 * The same page with values only a rich codec carries: Dates, a BigInt id, a Map of specs, Sets of
 * tags, a RegExp, `undefined` fields, and authors shared between reviews (one object each).
 */
export function richProps(count: number): Record<string, unknown> {
  const authors = AUTHORS.map((name, i) => ({
    name,
    verified: i % 3 === 0,
    since: new Date(Date.UTC(2020 + (i % 5), i, 1)),
  }));
  return {
    product: {
      id: 9_007_199_254_741_042n,
      title: "Trail running shoe, 2026 edition",
      description: "A light trail shoe with a rock plate, a 6 mm drop and a sticky rubber outsole for wet rock.",
      price: 129.9,
      discount: undefined,
      images: new Set(["/img/1042-side.jpg", "/img/1042-top.jpg", "/img/1042-sole.jpg"]),
      specs: new Map([
        ["weight", "240 g"],
        ["drop", "6 mm"],
        ["stack", "28 mm"],
        ["lugs", "4 mm"],
      ]),
      skuPattern: /^sku-\d{4}$/i,
      updatedAt: new Date(Date.UTC(2026, 5, 1, 12)),
    },
    reviews: Array.from({ length: count }, (_, i) => ({
      id: BigInt(1000 + i),
      author: authors[i % authors.length],
      stars: 1 + (i % 5),
      text: `Review ${i}: light, grippy on wet rock, and the laces stay tied for a whole long run.`,
      createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
      reply: i % 4 === 0 ? `Thanks, reviewer ${i}!` : undefined,
      tags: new Set(i % 2 ? ["fit", "grip"] : ["fit"]),
    })),
  };
}

/** The smallest `make(count)` whose `encode` text reaches `bytes`. */
export function sized(
  make: (count: number) => unknown,
  encode: (value: unknown) => string,
  bytes: number,
): { value: unknown; count: number; bytes: number } {
  for (let count = 1; ; count++) {
    const value = make(count);
    const length = Buffer.byteLength(encode(value));
    if (length >= bytes) return { value, count, bytes: length };
  }
}

/** What one codec did with one payload: µs of CPU per encode and per decode (medians over rounds), its text's size, whether it round-trips. */
export interface CodecResult {
  codec: string;
  encodeUs: number;
  decodeUs: number;
  bytes: number;
  /** "yes", or what differs after a round trip. */
  roundTrips: string;
  /** Whether two reviews that shared an author object still do after the round trip (rich payload only). */
  sharedKept?: boolean;
}

/**
 * Times `codecs` on `value`: each in turn, in alternating order over `rounds`, a batch of about
 * `batchMs` of encodes, then of decodes; CPU time from `process.cpuUsage`.
 */
export async function timeCodecs(
  codecs: readonly Codec[],
  value: unknown,
  rounds: number,
  batchMs: number,
): Promise<CodecResult[]> {
  const samples = codecs.map(() => ({ encode: [] as number[], decode: [] as number[] }));
  const texts = await Promise.all(codecs.map(async (codec) => codec.encode(value)));
  for (let round = 0; round < rounds; round++) {
    const order = codecs.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const codec = codecs[i] as Codec;
      const text = texts[i] as string;
      samples[i]?.encode.push(await cpuPerCall(() => codec.encode(value), batchMs));
      samples[i]?.decode.push(await cpuPerCall(() => codec.decode(text), batchMs));
    }
  }
  const results: CodecResult[] = [];
  for (const [i, codec] of codecs.entries()) {
    const text = texts[i] as string;
    const decoded = await codec.decode(text);
    results.push({
      codec: codec.name,
      encodeUs: median(samples[i]?.encode ?? []),
      decodeUs: median(samples[i]?.decode ?? []),
      bytes: Buffer.byteLength(text),
      roundTrips: roundTrips(decoded, value),
      sharedKept: sharesAuthors(value) ? sharesAuthors(decoded) : undefined,
    });
  }
  return results;
}

/** µs of CPU per call of `op`, over a batch sized to take about `batchMs` (after a short warm-up). */
async function cpuPerCall(op: () => unknown, batchMs: number): Promise<number> {
  const runs = async (n: number) => {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const result = op();
      if (result instanceof Promise) await result;
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  };
  const probe = await runs(20);
  return runs(Math.max(20, Math.round((batchMs * 1000) / Math.max(probe, 0.1))));
}

function roundTrips(decoded: unknown, value: unknown): string {
  const differs = firstDifference(decoded, value, "props");
  return differs === undefined ? "yes" : `no: \`${differs}\` differs`;
}

/** The path of the first value that is not the same after a round trip (objects and arrays walked; anything else compared whole). */
function firstDifference(decoded: unknown, value: unknown, at: string): string | undefined {
  if (isDeepStrictEqual(decoded, value)) return undefined;
  const walkable = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && (Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype);
  if (!walkable(decoded) || !walkable(value)) return at;
  for (const key of new Set([...Object.keys(value), ...Object.keys(decoded)])) {
    const differs = firstDifference(decoded[key], value[key], Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`);
    if (differs !== undefined) return differs;
  }
  return at;
}

/** True when the first review and the one `AUTHORS.length` later hold the very same author object. */
function sharesAuthors(value: unknown): boolean {
  const reviews = (value as { reviews?: Array<{ author?: unknown }> }).reviews;
  const first = reviews?.[0]?.author;
  return typeof first === "object" && first !== null && first === reviews?.[AUTHORS.length]?.author;
}
