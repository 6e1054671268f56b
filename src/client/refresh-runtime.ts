/**
 * What the app's modules import in a development build for React Fast Refresh (the transform in
 * compile/refresh-transform.ts writes the imports): `register` and `signature` for the registration
 * calls, `settle` after each module's body ran. React's refresh runtime itself is the preamble's
 * (client/refresh-preamble.ts), read from `window`: a module of a later build, imported into the
 * running tab, must register with the same runtime the first build's modules did.
 */
import { refreshRuntime, type RefreshSignature } from "./refresh-global.js";

const runtime = refreshRuntime();

/** Components a module's body registered, held until it has run (see {@link settle}). */
const pending = new Map<string, Array<{ type: unknown; name: string }>>();
/** How many times each module has run in this tab. */
const runs = new Map<string, number>();

/** `$RefreshReg$` of module `id`: its component `type`, known in the module as `name`. */
export function register(id: string, type: unknown, name: string): void {
  const list = pending.get(id);
  if (list) list.push({ type, name });
  else pending.set(id, [{ type, name }]);
}

/** `$RefreshSig$`: a signature function for one component's hooks (a no-op without the runtime). */
export function signature(): RefreshSignature {
  return runtime ? runtime.createSignatureFunctionForTransform() : (type) => type;
}

/**
 * Module `id` has run; `boundary`: every export of it is a component (decided when it was compiled,
 * compile/refresh-transform.ts). Its components join their families (one per module and name, the
 * same in every build), so an update keeps their state, only in a boundary: a module that also
 * exports other values (a constant, a helper) may have changed what its components read in a way
 * React cannot see, so its components get a family of this run alone and remount, as React's rules
 * for Fast Refresh say.
 */
export function settle(id: string, boundary: boolean): void {
  const list = pending.get(id) ?? [];
  pending.delete(id);
  const run = runs.get(id) ?? 0;
  runs.set(id, run + 1);
  if (!runtime) return;
  for (const { type, name } of list) runtime.register(type, boundary ? `${id} ${name}` : `${id} ${name} #${run}`);
}
