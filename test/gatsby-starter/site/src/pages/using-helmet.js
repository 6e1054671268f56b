import * as React from "react";
import { Helmet } from "react-helmet";

import Layout from "../components/layout";

export default function UsingHelmet() {
  return (
    <Layout>
      <Helmet>
        <title>Set by react-helmet</title>
        <meta name="description" content="A description from react-helmet" />
      </Helmet>
      <h1>react-helmet</h1>
    </Layout>
  );
}
