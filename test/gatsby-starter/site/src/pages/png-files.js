import * as React from "react";
import { graphql } from "gatsby";

import Layout from "../components/layout";

export default function PngFiles({ data }) {
  return (
    <Layout>
      <h1>PNG files</h1>
      <p>
        <span data-testid="png-count">{data.allFile.totalCount}</span> PNG files
      </p>
      <ul>
        {data.allFile.nodes.map((file) => (
          <li key={file.relativePath}>
            <a className="png-file" data-name={file.name} href={file.publicURL}>
              {file.relativePath}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export const query = graphql`
  query PngFilesQuery {
    allFile(filter: { extension: { eq: "png" } }, sort: { name: ASC }) {
      totalCount
      nodes {
        name
        extension
        relativePath
        publicURL
      }
    }
  }
`;
