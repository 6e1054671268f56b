import * as React from "react";
import { StaticQuery, graphql } from "gatsby";

import Layout from "../components/layout";
import Seo from "../components/seo";

const StaticQueryPage = () => (
  <Layout>
    <h1>A render-prop StaticQuery</h1>
    <StaticQuery
      query={graphql`
        query StaticQueryPageQuery {
          site {
            siteMetadata {
              description
              author
            }
          }
        }
      `}
      render={(data) => <p data-testid="static-query">{`${data.site.siteMetadata.description} (by ${data.site.siteMetadata.author})`}</p>}
    />
  </Layout>
);

export const Head = () => <Seo title="StaticQuery" />;

export default StaticQueryPage;
