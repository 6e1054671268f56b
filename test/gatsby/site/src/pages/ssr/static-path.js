// As Gatsby's own e2e page does: the whole context comes back in props, and env vars are read both
// in the component and in getServerData.
import React from "react";

const UseEnv = ({ heading, envVar }) => (
  <>
    <h3>{heading}</h3>
    <pre>
      <code data-testid={heading}>{JSON.stringify(envVar)}</code>
    </pre>
  </>
);

export default function StaticPath({ serverData }) {
  return (
    <div>
      <h2>Query</h2>
      <pre data-testid="query">{JSON.stringify(serverData?.arg?.query)}</pre>
      <h2>Params</h2>
      <pre data-testid="params">{JSON.stringify(serverData?.arg?.params)}</pre>
      <pre data-testid="headers-type">{serverData?.headersType}</pre>
      <UseEnv heading="process.env" envVar={process.env} />
      <UseEnv heading="process.env.VERY_SECRET_VAR" envVar={process.env.VERY_SECRET_VAR} />
      <UseEnv heading="process.env.GATSBY_PREFIXED_FROM_COMMAND_LINE" envVar={process.env.GATSBY_PREFIXED_FROM_COMMAND_LINE} />
      <UseEnv heading="serverData.envVars.VERY_SECRET_ALIAS_VAR" envVar={serverData?.envVars?.VERY_SECRET_ALIAS_VAR} />
    </div>
  );
}

export async function getServerData(arg) {
  return {
    props: {
      arg,
      headersType: `${typeof arg.headers}:${typeof arg.headers["user-agent"]}`,
      envVars: { VERY_SECRET_ALIAS_VAR: process.env.VERY_SECRET_VAR ? "set" : "unset" },
    },
  };
}

// Gatsby 5 lets Head give <html> and <body> attributes; these win over gatsby-ssr's onRenderBody.
export const Head = () => (
  <>
    <html lang="de" />
    <body className="static-body" />
    <title>Static path</title>
  </>
);
