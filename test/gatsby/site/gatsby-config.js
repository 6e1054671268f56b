// CommonJS, as most Gatsby sites write it. `ignore`: these tests ask for pages with and without
// their trailing slash (the starter suite tests Gatsby's default, `always`).
module.exports = {
  siteMetadata: { title: "Gatsby fixture" },
  trailingSlash: "ignore",
};
