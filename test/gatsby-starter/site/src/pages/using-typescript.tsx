// If you don't want to use TypeScript you can delete this file!
import * as React from "react";
import { graphql, Link, type PageProps } from "gatsby";

type DataProps = {
  site: {
    buildTime: string;
  };
};

const UsingTypescript = ({ data, location }: PageProps & { data: DataProps }) => (
  <React.Fragment>
    <h1>
      Gatsby supports <b>TypeScript by default</b>
    </h1>
    <p>
      This means that you can create and write <code>.ts/.tsx</code> files for your pages, components, and <code>gatsby-*</code> configuration files.
    </p>
    <p>
      You're currently on the page <code data-testid="ts-location">{location.pathname}</code> which was built on{" "}
      <span data-testid="build-time">{data.site.buildTime}</span>.
    </p>
    <Link to="/">Go back to the homepage</Link>
  </React.Fragment>
);

export const Head = () => <title>Using TypeScript</title>;

export default UsingTypescript;

export const query = graphql`
  {
    site {
      buildTime(formatString: "YYYY-MM-DD hh:mm a z")
    }
  }
`;
