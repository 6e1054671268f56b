/**
 * A stylesheet that could not be made into CSS (Sass, PostCSS, a config that does not load), as the
 * esbuild messages a plugin's `onLoad` returns. Each message says which module failed
 * (`detail.module`), wherever its location points (a partial, the config): the browser build stands
 * that module in and fails the pages that reach it (compile.ts).
 */
import type * as EsbuildApi from "esbuild";

/** A failed stylesheet, with its messages. */
export class StyleError extends Error {
  constructor(readonly messages: EsbuildApi.PartialMessage[]) {
    super(messages[0]?.text ?? "the stylesheet failed");
    this.name = "StyleError";
  }
}

/** A message about `module`, located at `location` (by default the module itself, no line). */
export function moduleMessage(
  module: string,
  text: string,
  location: Partial<EsbuildApi.Location> = { file: module },
): EsbuildApi.PartialMessage {
  return { text, location, detail: { module } };
}

/** A message about `module` whose cause is every stylesheet's (the app's PostCSS config): reported once, with no place. */
export function sharedMessage(module: string, text: string): EsbuildApi.PartialMessage {
  return { text, detail: { module, shared: true } };
}

/** Runs a plugin's `onLoad` work: a {@link StyleError} becomes its errors, for esbuild to report. */
export async function loadOrReport(
  file: string,
  load: () => Promise<EsbuildApi.OnLoadResult>,
): Promise<EsbuildApi.OnLoadResult> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof StyleError) return { errors: error.messages, watchFiles: [file] };
    throw error;
  }
}
