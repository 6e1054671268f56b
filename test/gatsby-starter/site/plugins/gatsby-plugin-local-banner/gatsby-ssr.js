const React = require("react");

exports.onRenderBody = ({ setHeadComponents }, pluginOptions) => {
  setHeadComponents([React.createElement("meta", { key: "local-banner", name: "local-banner", content: pluginOptions.text })]);
};

exports.wrapPageElement = ({ element, props }, pluginOptions) =>
  React.createElement(
    "div",
    { className: "local-banner", "data-banner": pluginOptions.text, "data-banner-path": props.location.pathname },
    element,
  );
