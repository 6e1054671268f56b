import React from "react";
import { Link, Script, Slice, navigate, withPrefix } from "gatsby";

export default function IndexPage() {
  return (
    <div>
      <h1>Gatsby home</h1>
      <a id="prefixed" href={withPrefix("/ssr/static-path/")}>plain link, prefixed</a>
      <Link to="/ssr/static-path/?foo=bar" id="to-static">Static with a query</Link>
      <button id="navigate" onClick={() => navigate("/ssr/param-path/from-navigate")}>navigate</button>
      <Script id="inline-once">{`window.__inlineRuns = (window.__inlineRuns || 0) + 1;`}</Script>
      <Slice alias="footer" />
    </div>
  );
}
