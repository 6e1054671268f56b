import React, { useContext, useState } from "react";
import { Link } from "gatsby";
import { ThemeContext } from "./theme";
import * as styles from "./layout.module.css";

export default function Layout({ children, path }) {
  const theme = useContext(ThemeContext);
  const [clicks, setClicks] = useState(0);
  return (
    <div className={styles.layout} data-theme={theme} data-path={path}>
      <nav>
        <Link to="/" id="nav-home" activeClassName="active">Home</Link>{" "}
        <Link to="/ssr/static-path/" id="nav-static" activeClassName="active" activeStyle={{ fontWeight: "700" }}>Static</Link>{" "}
        <Link to="/ssr/param-path/foo" id="nav-param" activeClassName="active">Param</Link>{" "}
        <Link to="/ssr/" id="nav-ssr" activeClassName="active" partiallyActive={true}>SSR section</Link>{" "}
        <Link to="/styled" id="nav-styled" state={{ from: "nav" }}>Styled</Link>
      </nav>
      <button id="layout-clicks" onClick={() => setClicks((n) => n + 1)}>{`clicks: ${clicks}`}</button>
      <main>{children}</main>
    </div>
  );
}
