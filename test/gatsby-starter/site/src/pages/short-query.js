import * as React from "react";
import { graphql } from "gatsby";

import Layout from "../components/layout";

// A page query exported as `q`: found like `query`.
export const q = graphql`
  {
    allSitePage(sort: { path: ASC }) {
      totalCount
      nodes {
        path
      }
    }
  }
`;

export default function ShortQuery({ data }) {
  return (
    <Layout>
      <h1>Every page of the site</h1>
      <p data-testid="page-count">{data.allSitePage.totalCount}</p>
      <ul data-testid="page-paths">
        {data.allSitePage.nodes.map((node) => (
          <li key={node.path}>{node.path}</li>
        ))}
      </ul>
    </Layout>
  );
}
