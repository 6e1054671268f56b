/**
 * Stable styled-components ids, the same in the server render and the browser.
 *
 * styled-components names each component after a counter of the components created so far in the
 * process (`sc-<hash(counter)>`), and its class names after that id. A server process creates the
 * components of every page it has loaded, in whatever order requests came; a browser document only
 * those of one page: the same component got another id on each side, and React reported a
 * hydration mismatch on any page served after another styled page. babel-plugin-styled-components
 * and Next's SWC plugin fix this by writing a `componentId` into each call at compile time.
 *
 * Here, without a parser: in both builds, a file of the app's own that imports `styled-components`
 * (an `import` statement; a `require` is left as it is) gets a copy of its `styled` that gives each
 * component it creates the id `sc-<hash of the file's path>-<hash of its element and CSS text>`
 * (see styledModule): the same on both sides, whatever else the process has loaded. A
 * `componentId` the code gives itself (`.withConfig({ componentId })`) is kept.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { moduleFile, moduleKey } from "./compile-errors.js";

const SKIP = Symbol("ssr-pages: styled-components itself");

/**
 * The esbuild plugin that gives each app file importing `styled-components` its own `styled`. Files
 * in `node_modules` are left alone (the server build does not bundle them: both sides would not see
 * the same code; styled UI kits ship their ids). The filter is the exact package name, so no other
 * import pays a call.
 */
export function styledIdsPlugin(pagesDir: string): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-styled-ids",
    setup(build) {
      build.onResolve({ filter: /^styled-components$/ }, (args) => {
        // Import statements only: a `require` of it stays one (inside a try, for an optional use).
        if (
          args.pluginData === SKIP ||
          args.kind !== "import-statement" ||
          args.importer.split(path.sep).includes("node_modules")
        )
          return undefined;
        return { path: moduleKey(pagesDir, args.importer), namespace: "ssr-styled", pluginData: SKIP };
      });
      build.onLoad({ filter: /.*/, namespace: "ssr-styled" }, (args) => {
        // Named from the file's path in the pages directory: the same ids wherever the app is built.
        const prefix = `sc-${createHash("sha256").update(args.path).digest("hex").slice(0, 8)}`;
        return {
          contents: styledModule(prefix),
          loader: "js",
          resolveDir: path.dirname(moduleFile(pagesDir, args.path)),
          pluginData: SKIP,
        };
      });
      // The real package, from inside the module above: resolved as any import of it would be.
      build.onResolve({ filter: /^styled-components$/, namespace: "ssr-styled" }, (args) =>
        build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: SKIP,
        }),
      );
    },
  };
}

/**
 * The module a file gets for `styled-components`: the package's exports, with `styled` (its default
 * and its named export) giving ids. A constructor (`styled.h1`, `styled(Link)`, `.attrs(…)`,
 * `.withConfig(…)`) is wrapped so that the call that makes a component adds the id: `<prefix>-`
 * and a hash of the element it styles (a tag's name; any component is one kind) and of its template
 * text (the raw strings, the same in both builds, minified or not). Nothing that depends on the
 * order components are made: a file that re-exports `styled` for the whole app (`lib/styled.ts`)
 * makes every component, in whatever order the server happens to load pages. So two components of
 * one such file with the same element and the same text share an id (and a `${A}` selector matches
 * both), which is the price of that.
 */
function styledModule(prefix: string): string {
  return `import * as real from "styled-components";
export * from "styled-components";
const idFor = (element, args) => {
  const strings = args[0];
  const text = element + "\\u0000" + (Array.isArray(strings) && Array.isArray(strings.raw) ? strings.raw.join("\\u0000") : "");
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return ${JSON.stringify(prefix)} + "-" + (hash >>> 0).toString(36);
};
const wrap = (make, element, own) => {
  const tag = (...args) => (own ? make : make.withConfig({ componentId: idFor(element, args) }))(...args);
  tag.attrs = (attrs) => wrap(make.attrs(attrs), element, own);
  tag.withConfig = (config) => wrap(make.withConfig(config), element, own || (config != null && config.componentId !== undefined));
  return tag;
};
const base = real.styled || real.default;
const styled = new Proxy(base, {
  apply: (target, self, args) => wrap(target(...args), typeof args[0] === "string" ? args[0] : "component", false),
  get: (target, name) => {
    const value = target[name];
    return typeof value === "function" && typeof value.withConfig === "function" ? wrap(value, String(name), false) : value;
  },
});
export { styled };
export default styled;
`;
}
