/**
 * React's refresh runtime, installed before React DOM loads: a classic script the development
 * document loads ahead of the module entry, so React DOM finds the hook when it starts and reports
 * its roots and renderers to it. Built on its own (compile/refresh-preamble-build.ts), never in
 * production.
 */
import * as ReactRefresh from "react-refresh/runtime";

/** The part of `react-refresh/runtime` ssr-pages uses. */
export interface RefreshRuntime {
  injectIntoGlobalHook(target: object): void;
  register(type: unknown, id: string): void;
  createSignatureFunctionForTransform(): (type: unknown, key?: string, forceReset?: boolean, getCustomHooks?: () => unknown[]) => unknown;
  isLikelyComponentType(type: unknown): boolean;
  performReactRefresh(): unknown;
}

const holder = globalThis as { __ssrPagesRefresh?: RefreshRuntime };
if (holder.__ssrPagesRefresh === undefined) {
  const runtime = ((ReactRefresh as { default?: RefreshRuntime }).default ?? ReactRefresh) as RefreshRuntime;
  runtime.injectIntoGlobalHook(globalThis);
  holder.__ssrPagesRefresh = runtime;
}
