module.exports = { siteMetadata: { title: "ssr-pages bench peer" }, plugins: [] };
