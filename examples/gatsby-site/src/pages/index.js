// examples/gatsby-site/src/pages/index.js
import * as React from "react";
import { StaticImage } from "gatsby-plugin-image";
import Layout from "../components/layout";

export default function Home() {
  return (
    <Layout>
      <h1>Trail notes</h1>
      <StaticImage src="../images/ridge.jpg" alt="A ridge at dusk" width={640} placeholder="blurred" />
    </Layout>
  );
}

export const Head = () => <title>Trail Notes</title>;
