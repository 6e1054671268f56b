/** Image variants made on request by the server (gatsby-plugin-sharp's work, done lazily). */
export { ImageVariants, type ImageVariantsOptions, type ServedVariant, type VariantCounts } from "./image-variants.js";
