/**
 * The mount path of the page being rendered, for `withPrefix`, which Gatsby pages call as a plain
 * function (not a hook) during render. On the server the mount path is known only per request: the
 * renderer sets it around each render, which `renderToString` does synchronously, so no other
 * request's render can run in between. Shared through a `Symbol.for` key, so every copy of this
 * module (a bundler may inline one into the pages) reads the same value.
 */
const KEY: unique symbol = Symbol.for("ssr-pages.render-base") as typeof KEY;
const registry = globalThis as { [KEY]?: { base: string | undefined; scoped: (() => string | undefined) | undefined } };
const state = (registry[KEY] ??= { base: undefined, scoped: undefined });

/** Makes `base` the mount path of the render under way (`undefined`: none), and returns the one before, to put back. */
export function setRenderBase(base: string | undefined): string | undefined {
  const previous = state.base;
  state.base = base;
  return previous;
}

/**
 * Where the mount path of a streamed render is kept: such a render goes on after its first tick
 * (render/render-scope.ts keeps it per render, in an AsyncLocalStorage the browser has no use for).
 */
export function setScopedRenderBase(scoped: () => string | undefined): void {
  state.scoped = scoped;
}

/** The mount path of the render under way, or `undefined` outside one. */
export function renderBase(): string | undefined {
  return state.base ?? state.scoped?.();
}
