/** The two placeholders made from an image's pixels: its dominant colour and a tiny blurred copy. */
import type { SharpModule } from "../../images/load-sharp.js";
import { FORMAT_TYPES } from "../../images/formats.js";
import { renderVariant, type VariantRecipe } from "../../images/render-variant.js";

/** Gatsby finds the dominant colour of the image shrunk to fit 200×200 (fast, and the same colour). */
const DOMINANT_COLOR_SIZE = 200;

/** The image's dominant colour as `#rrggbb` (sharp's `stats().dominant`), as gatsby-plugin-sharp's `backgroundColor`. */
export async function dominantColorOf(sharp: SharpModule, bytes: Uint8Array): Promise<string> {
  const { data, info } = await sharp(bytes)
    .resize(DOMINANT_COLOR_SIZE, DOMINANT_COLOR_SIZE, { fit: "inside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { dominant } = await sharp(data, {
    raw: { width: info.width, height: info.height, channels: info.channels },
  }).stats();
  return `#${[dominant.r, dominant.g, dominant.b].map((channel) => channel.toString(16).padStart(2, "0")).join("")}`;
}

/** The blurred placeholder: the image made at `recipe`'s tiny size (same crop and transforms), as a data URI. */
export async function blurredPlaceholderOf(
  sharp: SharpModule,
  bytes: Uint8Array,
  recipe: VariantRecipe,
): Promise<string> {
  const body = await renderVariant(sharp, bytes, recipe);
  return `data:${FORMAT_TYPES[recipe.format]};base64,${body.toString("base64")}`;
}
