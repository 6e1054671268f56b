import * as React from "react";
import { Link, graphql, useStaticQuery } from "gatsby";
import Header from "./header";
import * as styles from "./layout.module.css";

const Layout = ({ children }) => {
  const data = useStaticQuery(graphql`
    query SiteTitleQuery {
      site {
        siteMetadata {
          title
          author
        }
      }
    }
  `);
  // Set once the layout's effects have run: the page hydrated (the tests wait for it).
  const [hydrated, setHydrated] = React.useState(false);
  React.useEffect(() => setHydrated(true), []);

  return (
    <div className={styles.layout}>
      <Header siteTitle={data.site.siteMetadata?.title || `Title`} />
      <nav className={styles.nav} data-hydrated={hydrated ? "yes" : undefined}>
        <Link to="/" id="nav-home">Home</Link>
        <Link to="/page-2/" id="nav-page-2">Page 2</Link>
        <Link to="/static-query/" id="nav-static-query">StaticQuery</Link>
        <Link to="/page-query/" id="nav-page-query">Page query</Link>
        <Link to="/using-ssr/" id="nav-using-ssr">SSR</Link>
        <Link to="/photo/" id="nav-photo">Photo</Link>
      </nav>
      <main>{children}</main>
      <footer className={styles.footer} data-testid="footer">
        {`Built by ${data.site.siteMetadata.author}`}
      </footer>
    </div>
  );
};

export default Layout;
