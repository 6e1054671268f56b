/**
 * `process.env` as page components see it while they render on the server: the variables the browser
 * build was given (compile/browser-env.ts), the same values, read by name (`process.env.GATSBY_X`),
 * but none enumerable, so `JSON.stringify(process.env)` and `Object.keys(process.env)` give `{}` and
 * `[]`, as in the browser. Both render alike.
 */
export function renderEnv(visible: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const hidden: Record<string, string> = {};
  for (const [name, value] of Object.entries(visible))
    Object.defineProperty(hidden, name, { value, enumerable: false });
  return Object.freeze(hidden);
}
