/**
 * The JSON-valued scalars of Gatsby's schema: `JSON` (`SitePage.pageContext`) and `GatsbyImageData`
 * (`ImageSharp.gatsbyImageData`). Both pass their values through as they are.
 */
import { GraphQLScalarType, valueFromASTUntyped } from "graphql";

function jsonScalar(name: string, description: string): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
  });
}

/** `JSON`: any JSON value. */
export const GraphQLJSON = jsonScalar(
  "JSON",
  "The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf).",
);

/** `GatsbyImageData`: gatsby-plugin-image's `IGatsbyImageData`, for `GatsbyImage`'s `image` prop. */
export const GraphQLGatsbyImageData = jsonScalar(
  "GatsbyImageData",
  "gatsby-plugin-image's IGatsbyImageData, for GatsbyImage's image prop.",
);
