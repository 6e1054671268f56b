import * as React from "react";

/** What a component sees of the environment: the whole object, one public variable by name, and one destructured. */
export default function Env() {
  const { GATSBY_GREETING: destructured } = process.env;
  return (
    <section>
      <pre data-testid="env-json">{JSON.stringify(process.env)}</pre>
      <p data-testid="env-greeting">{process.env.GATSBY_GREETING}</p>
      <p data-testid="env-destructured">{destructured}</p>
    </section>
  );
}
