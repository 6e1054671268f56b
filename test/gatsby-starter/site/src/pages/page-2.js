import * as React from "react";
import { Link } from "gatsby";

import Layout from "../components/layout";
import Seo from "../components/seo";

const SecondPage = ({ location, path, params }) => (
  <Layout>
    <h1>Hi from the second page</h1>
    <p>Welcome to page 2</p>
    <p data-testid="location">{location.pathname}</p>
    <p data-testid="path">{path}</p>
    <p data-testid="params">{JSON.stringify(params)}</p>
    <Link to="/" id="back-home">Go back to the homepage</Link>
  </Layout>
);

export const Head = () => <Seo title="Page two" />;

export default SecondPage;
