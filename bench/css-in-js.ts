/**
 * What CSS-in-JS costs on the request path (issue 19): the HTML of `/products/1` (the bench's product
 * page, about 40 elements) served by `bench/servers/http-ssr.ts` from three generated pages
 * directories, each measured in the same run and compared with the first:
 *
 * - `plain`: an app without styled-components (the baseline);
 * - `plain beside styled`: the same page, in an app whose other page uses styled-components: the
 *   Build decides per page, so this page must cost what the baseline does;
 * - `styled`: the same markup made of six styled components (one with a prop), its rules collected
 *   per request into `<head>`.
 *
 * Then, in a process of its own with `NODE_ENV=production` (React and styled-components pick their
 * production builds when first loaded), the collector's own share of a styled render: the same
 * styled element rendered without a collector (styled-components then writes into its
 * process-wide sheet) and through it (a `ServerStyleSheet`, its provider, the tags, the escape), in
 * CPU µs per render.
 *
 * `node --import tsx bench/css-in-js.ts`: instructions per request, counted by callgrind (see
 * bench/lib/callgrind.ts; the machine's load cannot move them). `-- --rps`: requests per second with
 * autocannon instead, rounds alternating between the variants. `-- --quick`: a smoke run, figures
 * not meaningful.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createStyledComponentsCollector } from "../src/render/styled-components.js";
import { loadProduct, ProductPage, type ProductData } from "./baseline/product.js";
import { buildServers, ROOT } from "./lib/build.js";
import { startCounted } from "./lib/callgrind.js";
import { load } from "./lib/load.js";
import { startServer, stopServer } from "./lib/server.js";
import { fmt, median } from "./lib/stats.js";

const quick = process.argv.includes("--quick");
const rps = process.argv.includes("--rps");
const settings = quick
  ? { warmup: 30, batches: 1, batch: 10, seconds: 1, rounds: 1, renders: 200 }
  : { warmup: 3000, batches: 4, batch: 1000, seconds: 5, rounds: 3, renders: 20_000 };
const DIR = path.join(ROOT, ".tmp", "bench", "css-in-js");
const URL_PATH = "/products/1";
const PRODUCT = path.join(ROOT, "bench", "baseline", "product.tsx");

/** The plain product page (the one every bench contestant serves). */
const PLAIN_PAGE =
  `import { loadProduct, ProductPage } from ${JSON.stringify(PRODUCT)};\n` +
  `export function getServerData({ params }: { params: { id: string } }) { return { props: loadProduct(params.id) }; }\n` +
  `export default function Product({ serverData }: { serverData: ReturnType<typeof loadProduct> }) { return <ProductPage serverData={serverData} />; }\n`;

/**
 * The same markup, made of styled components; also imported by this process for the in-process
 * figures (where tsx compiles it as classic JSX: it is outside tsconfig.json's files, hence `React`).
 */
const STYLED_PAGE = `import React from "react";
import { styled } from "styled-components";
import { loadProduct, type ProductData } from ${JSON.stringify(PRODUCT)};

const Page = styled.div\`max-width: 40rem; margin: 0 auto; font-family: system-ui, sans-serif;\`;
const Header = styled.header\`border-bottom: 1px solid rgb(220, 220, 220); padding: 8px 0;\`;
const Title = styled.h1\`font-size: 2rem; color: rgb(20, 20, 20); margin: 0;\`;
const List = styled.ul\`list-style: none; padding: 0;\`;
const Item = styled.li<{ $odd: boolean }>\`padding: 4px 8px; background: \${(props) => (props.$odd ? "rgb(246, 246, 246)" : "white")};\`;
const Footer = styled.footer\`color: rgb(100, 100, 100); font-size: 0.8rem;\`;

export function StyledProductPage({ serverData }: { serverData: ProductData }) {
  return (
    <Page>
      <Header>
        <Title>{serverData.title}</Title>
        <p>Product id {serverData.id}</p>
      </Header>
      <List>
        {serverData.items.map((item) => (
          <Item key={item.id} $odd={item.id % 2 === 1}>
            {item.name}: {item.price} €
          </Item>
        ))}
      </List>
      <Footer>
        <p>Footer</p>
      </Footer>
    </Page>
  );
}

export function getServerData({ params }: { params: { id: string } }) { return { props: loadProduct(params.id) }; }
export default function Product({ serverData }: { serverData: ProductData }) { return <StyledProductPage serverData={serverData} />; }
`;

interface Variant {
  label: string;
  dir: string;
}

/** Writes the three pages directories (inside the repository: pages resolve its React and styled-components). */
function writeVariants(): Variant[] {
  rmSync(DIR, { recursive: true, force: true });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(DIR, file)), { recursive: true });
    writeFileSync(path.join(DIR, file), text);
  };
  write("plain/products/[id].tsx", PLAIN_PAGE);
  write("beside/products/[id].tsx", PLAIN_PAGE);
  write(
    "beside/other.tsx",
    `import { styled } from "styled-components";\nconst T = styled.h1\`color: rgb(1, 2, 3);\`;\nexport default function Other() { return <T>other</T>; }\n`,
  );
  write("styled/products/[id].tsx", STYLED_PAGE);
  return [
    { label: "plain (app without styled-components)", dir: path.join(DIR, "plain") },
    { label: "plain beside styled (app with it, page without)", dir: path.join(DIR, "beside") },
    { label: "styled (six styled components, collected)", dir: path.join(DIR, "styled") },
  ];
}

/**
 * Instructions per request of each variant's HTML, under callgrind, one server at a time (two at once
 * on a two-core machine added some 3% to both: V8's helper threads are counted too).
 */
async function countInstructions(variants: readonly Variant[]): Promise<number[]> {
  const count = async (variant: Variant, index: number): Promise<number> => {
    const server = await startCounted(
      "http-ssr",
      { PAGES_DIR: variant.dir },
      URL_PATH,
      path.join(DIR, "callgrind", String(index)),
    );
    try {
      await server.count(server.origin + URL_PATH, settings.warmup, 200);
      const batches: number[] = [];
      for (let i = 0; i < settings.batches; i++)
        batches.push((await server.count(server.origin + URL_PATH, settings.batch, 200)) / settings.batch);
      console.log(`  ${variant.label.padEnd(52)} ${batches.map((n) => `${fmt(n / 1000)}k`).join(" ")} instr/req`);
      // The mean: a major GC lands in some batches, and its cost belongs to every request that allocated.
      return batches.reduce((sum, n) => sum + n, 0) / batches.length;
    } finally {
      await stopServer(server);
    }
  };
  const figures: number[] = [];
  for (const [index, variant] of variants.entries()) figures.push(await count(variant, index));
  return figures;
}

/** Requests per second of each variant's HTML: every server up at once, rounds alternating between them, the median round of each. */
async function measureRps(variants: readonly Variant[]): Promise<number[]> {
  const servers = [];
  try {
    for (const variant of variants) servers.push(await startServer("http-ssr", { PAGES_DIR: variant.dir }, URL_PATH));
    for (const server of servers) await load(server.origin + URL_PATH, Math.min(2, settings.seconds), 10);
    const rounds: number[][] = variants.map(() => []);
    for (let round = 0; round < settings.rounds; round++) {
      for (const [i, server] of servers.entries()) {
        const result = await load(server.origin + URL_PATH, settings.seconds, 10);
        if (result.unexpected > 0) throw new Error(`${variants[i]?.label}: ${result.unexpected} unexpected responses`);
        rounds[i]?.push(result.rps);
      }
    }
    return rounds.map((values, i) => {
      console.log(`  ${variants[i]?.label.padEnd(52)} ${values.map((n) => fmt(n, 0)).join(" ")} req/s`);
      return median(values);
    });
  } finally {
    for (const server of servers) await stopServer(server);
  }
}

/** CPU µs per render: the plain page, the styled page alone, the styled page through its collector. */
interface RenderFigures {
  plain: number;
  styled: number;
  collected: number;
  tagBytes: number;
}

/** {@link measureCollector} in a child process in production mode (this one loaded React's development build). */
async function measureCollectorInProduction(): Promise<RenderFigures> {
  const args = ["--import", "tsx", import.meta.filename, "--collector", ...(quick ? ["--quick"] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" },
  });
  return JSON.parse(stdout) as RenderFigures;
}

/** CPU µs per render in this process (run with `--collector`, NODE_ENV=production). */
async function measureCollector(): Promise<RenderFigures> {
  const { StyledProductPage } = (await import(path.join(DIR, "styled", "products", "[id].tsx"))) as {
    StyledProductPage: ComponentType<{ serverData: ProductData }>;
  };
  // The copy the page module loaded: the one its components register with.
  const styledComponents = createRequire(path.join(DIR, "styled", "noop.js"))("styled-components") as unknown;
  const data = loadProduct("1");
  const time = (render: () => unknown) => {
    for (let i = 0; i < Math.min(500, settings.renders); i++) render(); // warm up the JIT
    const start = process.cpuUsage();
    for (let i = 0; i < settings.renders; i++) render();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / settings.renders;
  };
  let tags = "";
  const collected = () => {
    const collector = createStyledComponentsCollector(styledComponents, "bench");
    try {
      renderToString(collector.wrap(createElement(StyledProductPage, { serverData: data })));
      tags = collector.head();
    } finally {
      collector.seal();
    }
  };
  return {
    plain: time(() => renderToString(createElement(ProductPage, { serverData: data }))),
    styled: time(() => renderToString(createElement(StyledProductPage, { serverData: data }))),
    collected: time(collected),
    tagBytes: tags.length,
  };
}

async function main(): Promise<void> {
  const what = rps
    ? `req/s (autocannon, 10 connections, ${settings.rounds} rounds of ${settings.seconds} s)`
    : `instructions per request (callgrind, ${settings.warmup} warm-up requests, ${settings.batches} × ${settings.batch} measured)`;
  console.log(
    `CSS-in-JS on the request path${quick ? " (quick: figures not meaningful)" : ""}: Node ${process.version}, GET ${URL_PATH} HTML, ${what}`,
  );
  const variants = writeVariants();
  await buildServers(["http-ssr"]);
  const figures = rps ? await measureRps(variants) : await countInstructions(variants);
  const base = figures[0] as number;
  console.log(`\n| page | ${rps ? "req/s" : "instr/req"} | vs plain |\n|---|---:|---:|`);
  for (const [i, variant] of variants.entries()) {
    const figure = figures[i] as number;
    // As in bench/INSTRUCTIONS.md: higher is better (the baseline's count over ours; our req/s over the baseline's).
    const ratio = rps ? figure / base : base / figure;
    console.log(`| ${variant.label} | ${rps ? fmt(figure, 0) : `${fmt(figure / 1000)}k`} | ${fmt(ratio, 3)}× |`);
  }
  const render = await measureCollectorInProduction();
  console.log(
    `\nIn one process, NODE_ENV=production, CPU µs per renderToString of the page (${settings.renders} renders each):`,
  );
  console.log(`| render | µs | vs plain |\n|---|---:|---:|`);
  console.log(`| plain ProductPage | ${fmt(render.plain, 1)} | 1.00× |`);
  console.log(
    `| styled, no collector (styled-components' process-wide sheet) | ${fmt(render.styled, 1)} | ${fmt(render.styled / render.plain, 2)}× |`,
  );
  console.log(
    `| styled, through the collector (+ ${render.tagBytes} bytes of <style>) | ${fmt(render.collected, 1)} | ${fmt(render.collected / render.plain, 2)}× |`,
  );
  console.log(
    `\nThe collector's own share of a styled render: ${fmt(render.collected - render.styled, 1)} µs (${fmt(((render.collected - render.styled) / render.styled) * 100, 1)}%).`,
  );
}

if (process.argv.includes("--collector")) console.log(JSON.stringify(await measureCollector()));
else await main();
