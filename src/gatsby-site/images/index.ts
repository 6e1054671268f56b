/** The compile's side of images: gatsby-plugin-image's data, and the variants it names (made by the server). */
export { ImagePlanner, type ImageInfo, type ImagePlannerOptions } from "./planner.js";
