import * as React from "react";

/** What a component sees of the environment: the whole object, and one public variable. */
export default function Env() {
  return (
    <section>
      <pre data-testid="env-json">{JSON.stringify(process.env)}</pre>
      <p data-testid="env-greeting">{process.env.GATSBY_GREETING}</p>
    </section>
  );
}
