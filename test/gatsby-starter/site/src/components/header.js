import * as React from "react";
import { Link, graphql, useStaticQuery } from "gatsby";

const Header = ({ siteTitle }) => {
  const { site } = useStaticQuery(graphql`
    query HeaderSocialQuery {
      site {
        siteMetadata {
          siteUrl
          social {
            twitter
          }
        }
      }
    }
  `);
  const { siteUrl, social } = site.siteMetadata;
  return (
    <header>
      <Link to="/" data-testid="site-title">
        {siteTitle}
      </Link>
      <a data-testid="twitter" href={`https://twitter.com/${social.twitter}`}>
        {`@${social.twitter}`}
      </a>
      <span data-testid="site-url">{siteUrl}</span>
    </header>
  );
};

export default Header;
