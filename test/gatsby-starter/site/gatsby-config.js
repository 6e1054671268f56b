/**
 * The starter fixture's configuration, CommonJS as `gatsby new` writes it. Plugins are listed as
 * strings and as `{ resolve, options }`, two of them local (./plugins). No `trailingSlash`: Gatsby 5's
 * default, `always`, applies.
 */
module.exports = {
  siteMetadata: {
    title: `Starter Fixture`,
    description: `A Gatsby 5 style site served by ssr-pages.`,
    author: `@fixture-author`,
    siteUrl: `https://starter.example.org/`,
    social: {
      twitter: `fixturebird`,
    },
  },
  plugins: [
    `gatsby-plugin-image`,
    {
      resolve: `gatsby-source-filesystem`,
      options: {
        name: `images`,
        path: `${__dirname}/src/images`,
      },
    },
    `gatsby-transformer-sharp`,
    `gatsby-plugin-sharp`,
    `gatsby-plugin-react-helmet`,
    {
      resolve: `gatsby-plugin-local-banner`,
      options: {
        text: `banner-option-text`,
      },
    },
    `gatsby-plugin-node-only`,
    {
      resolve: `gatsby-plugin-manifest`,
      options: {
        name: `Starter Fixture Manifest`,
        short_name: `Fixture`,
        start_url: `/`,
        background_color: `#663399`,
        theme_color: `#663399`,
        display: `minimal-ui`,
        icon: `src/images/icon.png`,
      },
    },
  ],
};
