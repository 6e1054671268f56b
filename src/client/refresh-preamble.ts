/**
 * React's refresh runtime, installed before React DOM loads: a classic script the development
 * document loads ahead of the module entry, so React DOM finds the hook when it starts and reports
 * its roots and renderers to it. Built on its own (compile/refresh-preamble-build.ts), never in
 * production.
 */
import * as ReactRefresh from "react-refresh/runtime";
import { installRefreshRuntime, type RefreshRuntime } from "./refresh-global.js";

// The CommonJS runtime, as esbuild hands it to an ES module: its exports, or them as `default`.
installRefreshRuntime(((ReactRefresh as { default?: RefreshRuntime }).default ?? ReactRefresh) as RefreshRuntime);
