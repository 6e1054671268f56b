// examples/gatsby-site/src/pages/photos.js
import * as React from "react";
import { graphql } from "gatsby";
import { GatsbyImage, getImage } from "gatsby-plugin-image";
import Layout from "../components/layout";

export default function Photos({ data }) {
  return (
    <Layout>
      <h1>{data.allFile.totalCount} photos</h1>
      {data.allFile.nodes.map((file) => (
        <figure key={file.relativePath}>
          <GatsbyImage image={getImage(file)} alt={file.name} />
          <figcaption>
            <a href={file.publicURL}>{file.name}</a> ({file.prettySize})
          </figcaption>
        </figure>
      ))}
    </Layout>
  );
}

export const query = graphql`
  query {
    allFile(filter: { extension: { eq: "jpg" } }, sort: { name: ASC }) {
      totalCount
      nodes {
        name
        relativePath
        prettySize
        publicURL
        childImageSharp {
          gatsbyImageData(width: 320, formats: [AUTO, WEBP, AVIF])
        }
      }
    }
  }
`;

export const Head = () => <title>Photos · Trail Notes</title>;
