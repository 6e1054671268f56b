import * as React from "react";
import { graphql } from "gatsby";
import { GatsbyImage, StaticImage, getImage } from "gatsby-plugin-image";

import Layout from "../components/layout";
import Seo from "../components/seo";

export default function Photo({ data }) {
  const image = getImage(data.file);
  return (
    <Layout>
      <h1>A photo from a query</h1>
      <div data-testid="queried">
        <GatsbyImage image={image} alt="A green field" />
      </div>
      <div data-testid="lazy">
        <StaticImage src="../images/photo.jpg" width={120} formats={["auto", "webp"]} alt="The same field, smaller" />
      </div>
    </Layout>
  );
}

export const query = graphql`
  query PhotoQuery {
    file(relativePath: { eq: "photo.jpg" }) {
      childImageSharp {
        gatsbyImageData(width: 300, placeholder: BLURRED, formats: [AUTO, WEBP, AVIF])
      }
    }
  }
`;

export const Head = () => <Seo title="Photo" />;
