import * as React from "react";
import { graphql } from "gatsby";

import Layout from "../components/layout";
import Seo from "../components/seo";

// The page query under another export name than `query`.
export const pageQuery = graphql`
  query PageQueryPage {
    site {
      siteMetadata {
        title
        description
        social {
          twitter
        }
      }
    }
  }
`;

export default function PageQueryPage({ data }) {
  const { title, description, social } = data.site.siteMetadata;
  return (
    <Layout>
      <h1>A page query</h1>
      <p data-testid="pq-title">{title}</p>
      <p data-testid="pq-description">{description}</p>
      <p data-testid="pq-twitter">{social.twitter}</p>
    </Layout>
  );
}

export const Head = () => <Seo title="Page query" />;
