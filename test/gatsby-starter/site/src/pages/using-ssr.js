import * as React from "react";
import { Link, graphql } from "gatsby";

import Layout from "../components/layout";
import Seo from "../components/seo";

const UsingSSR = ({ serverData, data }) => (
  <Layout>
    <h1>This page is rendered server-side</h1>
    <p data-testid="ssr-message">{serverData.message}</p>
    <ul data-testid="ssr-breeds">
      {serverData.breeds.map((breed) => (
        <li key={breed}>{breed}</li>
      ))}
    </ul>
    <p data-testid="ssr-site-title">{data.site.siteMetadata.title}</p>
    <Link to="/">Go back to the homepage</Link>
  </Layout>
);

export const Head = () => <Seo title="Using SSR" />;

export default UsingSSR;

// No network: the data is made here, at request time.
export async function getServerData() {
  return {
    props: { message: "Rendered at request time", breeds: ["akita", "beagle", "corgi"] },
  };
}

export const query = graphql`
  query UsingSsrSiteQuery {
    site {
      siteMetadata {
        title
      }
    }
  }
`;
