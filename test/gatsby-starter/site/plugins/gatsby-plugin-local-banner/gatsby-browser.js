const React = require("react");

exports.wrapPageElement = ({ element, props }, pluginOptions) =>
  React.createElement(
    "div",
    { className: "local-banner", "data-banner": pluginOptions.text, "data-banner-path": props.location.pathname },
    element,
  );

exports.onRouteUpdate = ({ location }, pluginOptions) => {
  window.__routes = window.__routes || [];
  window.__routes.push(location.pathname);
  window.__bannerText = pluginOptions.text;
  window.__hookOrder = window.__hookOrder || [];
  window.__hookOrder.push(`banner ${location.pathname}`);
};
