import React from "react";
import Layout from "./src/components/layout";
export { wrapRootElement } from "./src/components/theme";

export const wrapPageElement = ({ element, props }) => <Layout path={props.location.pathname}>{element}</Layout>;

export const onRenderBody = ({ setHtmlAttributes, setBodyAttributes, setHeadComponents, setPreBodyComponents, setPostBodyComponents, pathname }) => {
  setHtmlAttributes({ lang: "fr" });
  setBodyAttributes({ className: "gatsby-body" });
  setHeadComponents([<meta key="generator" name="generator" content="ssr-pages-gatsby-fixture" />]);
  setPreBodyComponents([<div key="pre" id="pre-body" data-pathname={pathname} />]);
  setPostBodyComponents([<div key="post" id="post-body" />]);
};
