import React from "react";
import Layout from "./src/components/layout";
export { wrapRootElement } from "./src/components/theme";

export const wrapPageElement = ({ element, props }) => <Layout path={props.location.pathname}>{element}</Layout>;

export const onClientEntry = () => {
  window.__gatsbyHooks = ["onClientEntry"];
};

export const onInitialClientRender = () => {
  window.__gatsbyHooks.push("onInitialClientRender");
};

export const onRouteUpdate = ({ location, prevLocation }) => {
  window.__gatsbyHooks.push(`onRouteUpdate ${location.pathname}${location.search} from ${prevLocation ? prevLocation.pathname : "null"}`);
};
