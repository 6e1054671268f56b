import * as React from "react";
import { Link } from "gatsby";

import Layout from "../components/layout";
import Seo from "../components/seo";

const SecondPage = ({ location, path, params }) => (
  <Layout>
    <h1>The second page of the fixture</h1>
    <p>Reached through a Link from the first.</p>
    <p data-testid="location">{location.pathname}</p>
    <p data-testid="path">{path}</p>
    <p data-testid="params">{JSON.stringify(params)}</p>
    <Link to="/" id="back-home">Go back to the homepage</Link>
  </Layout>
);

export const Head = () => <Seo title="Page two" />;

export default SecondPage;
