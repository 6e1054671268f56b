/**
 * The site's own Server Rendering APIs, in CommonJS. They run after every plugin's: the head
 * component comes after the plugins' head components, and the page wrapper encloses theirs.
 */
const React = require("react");

exports.onRenderBody = ({ setHtmlAttributes, setHeadComponents }) => {
  setHtmlAttributes({ lang: "en" });
  setHeadComponents([React.createElement("meta", { key: "site-ssr", name: "site-ssr", content: "from-site-gatsby-ssr" })]);
};

exports.wrapPageElement = ({ element, props }) =>
  React.createElement("div", { "data-site-wrapper": "site", "data-site-path": props.location.pathname }, element);
