/**
 * Where a development document keeps React's refresh runtime: on `window`, put there by the
 * preamble (client/refresh-preamble.ts), read by the registration (client/refresh-runtime.ts) and
 * the dev client. One place for every build's modules: a module of a later build, imported into the
 * running tab, must register with the runtime the first build's modules did.
 */

/** A signature function, as `$RefreshSig$()` returns it. */
export type RefreshSignature = (
  type: unknown,
  key?: string,
  forceReset?: boolean,
  getCustomHooks?: () => unknown[],
) => unknown;

/** The part of `react-refresh/runtime` ssr-pages uses. */
export interface RefreshRuntime {
  injectIntoGlobalHook(target: object): void;
  register(type: unknown, id: string): void;
  createSignatureFunctionForTransform(): RefreshSignature;
  performReactRefresh(): unknown;
}

const holder = globalThis as { __ssrPagesRefresh?: RefreshRuntime };

/** The runtime the preamble installed; `undefined` without one (production, or no preamble ran). */
export function refreshRuntime(): RefreshRuntime | undefined {
  return holder.__ssrPagesRefresh;
}

/** Installs `runtime` for the document, once: a second preamble (a reload in place) keeps the first. */
export function installRefreshRuntime(runtime: RefreshRuntime): void {
  if (holder.__ssrPagesRefresh !== undefined) return;
  runtime.injectIntoGlobalHook(globalThis);
  holder.__ssrPagesRefresh = runtime;
}
