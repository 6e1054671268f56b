/**
 * Gatsby's build-time data layer for a Gatsby site moved here: its GraphQL schema, inferred from
 * the site's data as Gatsby 5 infers it, and the running of its `graphql` templates.
 */
export { createSiteSchema, type SiteSchema } from "./schema.js";
export { QueryError, type QueryErrorDetails } from "./errors.js";
