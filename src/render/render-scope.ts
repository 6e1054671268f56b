/**
 * What a streamed render sees while it runs. A string render swaps `process.env` and the mount path
 * around one synchronous call (render-page.ts's `renderIn`); a streamed one goes on in later ticks,
 * whenever a promise it waits for settles, with other requests' code running in between. So it runs
 * in an AsyncLocalStorage scope that React's scheduling carries along (its work is resumed from
 * callbacks registered inside the scope), and `process.env` reads the scope's variables there: a
 * component never prints a server secret into the HTML, streamed or not, and renders as in the browser.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { setScopedRenderBase } from "../common/render-base.js";
import type { RenderEnv } from "./render-page.js";

/** One streamed render's environment and mount path. */
export interface RenderScope {
  env: RenderEnv;
  base: string;
}

const scopes = new AsyncLocalStorage<RenderScope>();
let installed = false;

/** Runs `start` (which starts a streamed render) in `scope`; everything it schedules stays in it. */
export function inRenderScope<T>(scope: RenderScope, start: () => T): T {
  if (!installed) install();
  return scopes.run(scope, start);
}

/**
 * Puts a proxy in front of `process.env`, once, when the first streamed render starts (a process that
 * never streams keeps the plain object): inside a render scope it reads the scope's variables,
 * everywhere else the real ones. Writes always go to the real environment.
 */
function install(): void {
  installed = true;
  setScopedRenderBase(() => scopes.getStore()?.base);
  const real = process.env;
  const seen = (target: NodeJS.ProcessEnv): object => scopes.getStore()?.env ?? target;
  process.env = new Proxy(real, {
    // Writes and deletions go to the real object as they are (with no receiver: Node's env object
    // accepts only its own kind of property, never the descriptor a proxied [[Set]] would define).
    set: (target, name, value) => Reflect.set(target, name, value),
    defineProperty: (target, name, descriptor) => Reflect.defineProperty(target, name, descriptor),
    deleteProperty: (target, name) => Reflect.deleteProperty(target, name),
    get: (target, name) => Reflect.get(seen(target), name),
    has: (target, name) => Reflect.has(seen(target), name),
    ownKeys: (target) => Reflect.ownKeys(seen(target)),
    getOwnPropertyDescriptor: (target, name) => {
      const scoped = scopes.getStore();
      if (scoped === undefined) return Reflect.getOwnPropertyDescriptor(target, name);
      // A proxy must describe its target's own keys as configurable as they are: the scope's
      // variables are reported as plain values, non-enumerable like render-env.ts makes them.
      const value = Reflect.get(scoped.env, name) as string | undefined;
      return value === undefined ? undefined : { value, writable: true, enumerable: false, configurable: true };
    },
  });
}
