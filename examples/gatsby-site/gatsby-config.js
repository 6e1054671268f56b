// examples/gatsby-site/gatsby-config.js
module.exports = {
  siteMetadata: {
    title: "Trail Notes",
    description: "A Gatsby site served by an Express app.",
  },
  plugins: [
    "gatsby-plugin-image",
    { resolve: "gatsby-source-filesystem", options: { name: "images", path: `${__dirname}/src/images` } },
    "gatsby-transformer-sharp",
    "gatsby-plugin-sharp",
    {
      resolve: "gatsby-plugin-manifest",
      options: { name: "Trail Notes", short_name: "Trails", start_url: "/", display: "minimal-ui", theme_color: "#2f6b4f", icon: "src/images/icon.png" },
    },
  ],
};
