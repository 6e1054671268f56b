import * as React from "react";
import { Link } from "gatsby";
import { StaticImage } from "gatsby-plugin-image";

import Layout from "../components/layout";
import Seo from "../components/seo";

const links = [
  { text: "Page 2", url: "/page-2/" },
  { text: "Using TypeScript", url: "/using-typescript/" },
  { text: "Server-side rendering", url: "/using-ssr/" },
  { text: "A StaticQuery", url: "/static-query/" },
  { text: "A page query", url: "/page-query/" },
];

const IndexPage = () => (
  <Layout>
    <div data-testid="hero">
      <StaticImage
        src="../images/example.png"
        loading="eager"
        width={64}
        quality={95}
        formats={["auto", "webp", "avif"]}
        alt=""
        style={{ marginBottom: `var(--space-3)` }}
      />
      <h1>
        Welcome to <b>the starter fixture!</b>
      </h1>
    </div>
    <ul>
      {links.map((link) => (
        <li key={link.url}>
          <Link to={link.url} id={`index-${link.url.replace(/\//g, "")}`}>
            {link.text}
          </Link>
        </li>
      ))}
    </ul>
    <StaticImage src="../images/example.png" width={64} quality={95} formats={["auto", "webp", "avif"]} alt="" />
  </Layout>
);

// The page's title, through the layout's Seo component (Gatsby's Head API).
export const Head = () => <Seo title="Home" />;

export default IndexPage;
