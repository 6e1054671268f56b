import * as React from "react";
import { graphql } from "gatsby";

import Layout from "../components/layout";

export default function FileQueries({ data }) {
  return (
    <Layout>
      <h1>File queries</h1>
      <pre data-testid="file-data">{JSON.stringify(data)}</pre>
    </Layout>
  );
}

export const query = graphql`
  query FileQueries {
    pngs: allFile(filter: { sourceInstanceName: { eq: "images" }, extension: { eq: "png" } }, sort: { name: ASC }) {
      totalCount
      nodes {
        name
      }
    }
    newestFirst: allFile(filter: { extension: { eq: "png" } }, sort: { name: DESC }) {
      nodes {
        name
      }
    }
    paged: allFile(filter: { extension: { eq: "png" } }, sort: { name: ASC }, limit: 1, skip: 1) {
      nodes {
        name
      }
    }
    extensions: allFile(filter: { extension: { in: ["png", "jpg"] } }) {
      distinct(field: { extension: SELECT })
    }
    byExtension: allFile(filter: { extension: { in: ["png", "jpg"] } }) {
      group(field: { extension: SELECT }) {
        fieldValue
        totalCount
      }
    }
    deep: file(relativePath: { eq: "nested/deep.png" }) {
      name
      extension
      relativePath
      relativeDirectory
      sourceInstanceName
      size
    }
    photo: file(relativePath: { eq: "photo.jpg" }) {
      name
      extension
      size
    }
    nested: directory(relativePath: { eq: "nested" }) {
      name
      relativePath
      sourceInstanceName
    }
    directories: allDirectory {
      nodes {
        relativePath
      }
    }
    secondPage: allSitePage(filter: { path: { eq: "/page-2/" } }) {
      nodes {
        path
      }
    }
  }
`;
