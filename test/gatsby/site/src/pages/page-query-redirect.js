import React from "react";
import { graphql } from "gatsby";

export default function PageQueryRedirect() {
  return <h1>never rendered</h1>;
}

export const query = graphql`query { site { id } }`;

export function getServerData() {
  return { status: 302, headers: { Location: "/ssr/static-path/" } };
}
