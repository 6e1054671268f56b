/**
 * How one image variant is made from its source's bytes, with sharp: gatsby-plugin-sharp's steps
 * (trim, orient or rotate, resize, grayscale, duotone, encode).
 */
import type { Sharp } from "sharp";
import type { ImageVariant } from "./image-types.js";
import { applyDuotone } from "./duotone.js";
import type { SharpModule } from "./load-sharp.js";

/** Everything about a variant that shapes its bytes (its name and source aside). */
export type VariantRecipe = Pick<
  ImageVariant,
  "width" | "height" | "format" | "quality" | "fit" | "position" | "transforms" | "encoder"
>;

/**
 * The encoder options a variant's `encoder` may hold; what is missing takes Gatsby's default.
 * `background` is the colour `fit: "contain"` pads with and a rotation fills with (transparent by
 * default, which a JPEG shows black, as Gatsby's default does).
 */
export interface EncoderOptions {
  progressive?: boolean;
  mozjpeg?: boolean;
  compressionLevel?: number;
  effort?: number;
  lossless?: boolean;
  background?: string;
}

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };

/** The variant's bytes, encoded. */
export async function renderVariant(sharp: SharpModule, source: Uint8Array, recipe: VariantRecipe): Promise<Buffer> {
  const { transforms } = recipe;
  const encoder = encoderOptions(recipe.encoder);
  const background = encoder.background ?? TRANSPARENT;
  let image = sharp(source);
  if (transforms.trim) image = image.trim({ threshold: transforms.trim });
  // Upright by the EXIF orientation, or turned by the rotation asked for (Gatsby: one or the other).
  // The rotation comes before the resize (Gatsby asks for it after, which sharp does not honour as
  // written): the variant then has exactly the planned size, which was worked out from the turned source.
  if (transforms.rotate) image = image.rotate(transforms.rotate, { background });
  else image = typeof image.autoOrient === "function" ? image.autoOrient() : image.rotate();
  image = image.resize(recipe.width, recipe.height, { fit: recipe.fit, position: recipe.position, background });
  if (transforms.grayscale) image = image.grayscale();
  if (transforms.duotone) image = await applyDuotone(sharp, image, transforms.duotone);
  return encode(image, recipe, encoder).toBuffer();
}

/** Sets the output format and its options. */
function encode(image: Sharp, recipe: VariantRecipe, encoder: EncoderOptions): Sharp {
  const quality = recipe.quality;
  switch (recipe.format) {
    case "jpg":
      return image.jpeg({ quality, progressive: encoder.progressive ?? true, mozjpeg: encoder.mozjpeg ?? false });
    case "png":
      // A quality makes a palette PNG (lossy, much smaller), as Gatsby's quality does.
      return image.png({
        compressionLevel: encoder.compressionLevel ?? 9,
        adaptiveFiltering: false,
        ...(quality === undefined ? {} : { quality, effort: encoder.effort }),
      });
    case "webp":
      return image.webp({ quality, lossless: encoder.lossless, effort: encoder.effort });
    case "avif":
      return image.avif({ quality, lossless: encoder.lossless, effort: encoder.effort });
    case "gif":
      return image.gif();
    case "tiff":
      return image.tiff({ quality });
  }
}

/** The known options of a variant's `encoder` record, each only when of the right type. */
function encoderOptions(record: Readonly<Record<string, unknown>>): EncoderOptions {
  const options: EncoderOptions = {};
  if (typeof record.progressive === "boolean") options.progressive = record.progressive;
  if (typeof record.mozjpeg === "boolean") options.mozjpeg = record.mozjpeg;
  if (typeof record.compressionLevel === "number") options.compressionLevel = record.compressionLevel;
  if (typeof record.effort === "number") options.effort = record.effort;
  if (typeof record.lossless === "boolean") options.lossless = record.lossless;
  if (typeof record.background === "string") options.background = record.background;
  return options;
}
