/**
 * The site's own Browser APIs (ES module syntax with JSX, as Gatsby's docs write them). The page
 * wrapper renders exactly what gatsby-ssr.js's does, so hydration matches.
 */
import * as React from "react";

export const wrapPageElement = ({ element, props }) => (
  <div data-site-wrapper="site" data-site-path={props.location.pathname}>
    {element}
  </div>
);

export const onRouteUpdate = ({ location }) => {
  window.__hookOrder = window.__hookOrder || [];
  window.__hookOrder.push(`site ${location.pathname}`);
};
