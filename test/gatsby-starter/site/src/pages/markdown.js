import * as React from "react";
import { graphql } from "gatsby";

// gatsby-transformer-remark's type, which this site does not have.
export default function Markdown({ data }) {
  return (
    <ul>
      {data.allMarkdownRemark.nodes.map((node) => (
        <li key={node.id}>{node.id}</li>
      ))}
    </ul>
  );
}

export const query = graphql`
  query MarkdownQuery {
    allMarkdownRemark {
      nodes {
        id
      }
    }
  }
`;
