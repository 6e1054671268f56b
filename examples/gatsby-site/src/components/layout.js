// examples/gatsby-site/src/components/layout.js
import * as React from "react";
import { Link, graphql, useStaticQuery } from "gatsby";

export default function Layout({ children }) {
  const data = useStaticQuery(graphql`
    query SiteTitle {
      site {
        siteMetadata {
          title
        }
      }
    }
  `);
  return (
    <>
      <header>
        <Link to="/">{data.site.siteMetadata.title}</Link> · <Link to="/photos/">Photos</Link> · <Link to="/weather">Weather</Link>
      </header>
      <main>{children}</main>
    </>
  );
}
