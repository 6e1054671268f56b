// examples/gatsby-site/gatsby-ssr.js
exports.onRenderBody = ({ setHtmlAttributes }) => {
  setHtmlAttributes({ lang: "en" });
};
