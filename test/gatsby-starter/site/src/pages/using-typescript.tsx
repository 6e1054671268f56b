// A TypeScript page with a page query, as a Gatsby site may have one.
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
      A page written in <b>TypeScript</b>
    </h1>
    <p>
      Its types come from <code>gatsby</code>; its query asks for the site&#39;s build time.
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
