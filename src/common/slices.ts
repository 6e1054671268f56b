import { createContext, type ComponentType, type Context } from "react";

/** Gatsby slice aliases → the components `_app.tsx` gives for them (`export const slices = { footer: Footer }`). */
export type Slices = Readonly<Record<string, ComponentType<Record<string, unknown>>>>;

// One context per process / page, whichever copy of this module created it first (see router-context.ts).
const KEY: unique symbol = Symbol.for("ssr-pages.SlicesContext") as typeof KEY;
const registry = globalThis as { [KEY]?: Context<Slices | undefined> };

/** Carries `_app`'s slices to Gatsby's `Slice` (from the `gatsby` module). */
export const SlicesContext: Context<Slices | undefined> = (registry[KEY] ??= createContext<Slices | undefined>(
  undefined,
));
