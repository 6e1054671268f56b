import React from "react";

export default function WildcardPath({ serverData }) {
  return <pre data-testid="params">{JSON.stringify(serverData.arg.params)}</pre>;
}

export async function getServerData(arg) {
  return { props: { arg } };
}
