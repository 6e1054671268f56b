/**
 * `StaticImage` props and `gatsbyImageData(…)` arguments in one spelling: GraphQL gives enum names
 * (`FULL_WIDTH`, `DOMINANT_COLOR`, `WEBP`, `ATTENTION`), JSX gives Gatsby's camel-case strings. A
 * value Gatsby does not know is an error naming the image, at compile time rather than per request.
 */
import type { ImageLayout, ImageOptions } from "../contracts.js";

/** An output format asked for (`""` and `auto`: the source's own). */
export type RequestedFormat = NonNullable<ImageOptions["formats"]>[number];

type Placeholder = NonNullable<ImageOptions["placeholder"]>;
type Fit = NonNullable<NonNullable<ImageOptions["transformOptions"]>["fit"]>;

const LAYOUTS: Readonly<Record<string, ImageLayout>> = {
  fixed: "fixed",
  fullwidth: "fullWidth",
  constrained: "constrained",
};
const PLACEHOLDERS: Readonly<Record<string, Placeholder>> = {
  dominantcolor: "dominantColor",
  blurred: "blurred",
  tracedsvg: "tracedSVG",
  none: "none",
};
const FORMATS: Readonly<Record<string, RequestedFormat>> = {
  auto: "auto",
  "": "",
  nochange: "",
  jpg: "jpg",
  jpeg: "jpg",
  png: "png",
  webp: "webp",
  avif: "avif",
};
const FITS: ReadonlySet<string> = new Set(["cover", "contain", "fill", "inside", "outside"]);
/** sharp's `position` names (gravities, strategies, edges) and numbers (gravities 0–8, strategies 16–17). */
const CROP_NAMES: ReadonlySet<string> = new Set([
  "center",
  "centre",
  "north",
  "east",
  "south",
  "west",
  "northeast",
  "southeast",
  "southwest",
  "northwest",
  "entropy",
  "attention",
  "top",
  "right",
  "bottom",
  "left",
  "right top",
  "right bottom",
  "left bottom",
  "left top",
]);

/** An enum name or a camel-case value as one key: `FULL_WIDTH`, `fullWidth` → `fullwidth`. */
function keyOf(value: string): string {
  return value.replace(/[_-]/g, "").toLowerCase();
}

/**
 * `options` with every enum-like value in Gatsby's spelling.
 * @throws Error naming `file` and the option for a value gatsby-plugin-image does not know.
 */
export function normalizeImageOptions(options: ImageOptions, file: string): ImageOptions {
  const wrong = (option: string, value: unknown, known: string): Error =>
    new Error(`Image ${file}: ${option} ${JSON.stringify(value)} is not one gatsby-plugin-image knows (${known})`);
  const normalized: ImageOptions = { ...options };
  if (options.layout !== undefined) {
    const layout = LAYOUTS[keyOf(String(options.layout))];
    if (!layout) throw wrong("layout", options.layout, `"fixed", "fullWidth" or "constrained"`);
    normalized.layout = layout;
  }
  if (options.placeholder !== undefined) {
    const placeholder = PLACEHOLDERS[keyOf(String(options.placeholder))];
    if (!placeholder)
      throw wrong("placeholder", options.placeholder, `"dominantColor", "blurred", "tracedSVG" or "none"`);
    normalized.placeholder = placeholder;
  }
  if (options.formats !== undefined) {
    normalized.formats = options.formats.map((format) => {
      const known = FORMATS[keyOf(String(format))];
      if (known === undefined) throw wrong("format", format, `"auto", "jpg", "png", "webp" or "avif"`);
      return known;
    });
  }
  for (const name of ["width", "height", "aspectRatio", "quality"] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value)))
      throw wrong(name, value, "a number");
  }
  if (options.quality !== undefined && (options.quality < 1 || options.quality > 100))
    throw wrong("quality", options.quality, "1 to 100");
  for (const name of ["breakpoints", "outputPixelDensities"] as const) {
    const value: unknown = options[name];
    if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === "number" && item > 0)))
      throw wrong(name, value, "a list of positive numbers");
  }
  if (options.transformOptions) normalized.transformOptions = normalizeTransforms(options.transformOptions, wrong);
  return normalized;
}

function normalizeTransforms(
  transforms: NonNullable<ImageOptions["transformOptions"]>,
  wrong: (option: string, value: unknown, known: string) => Error,
): NonNullable<ImageOptions["transformOptions"]> {
  const normalized = { ...transforms };
  if (transforms.fit !== undefined) {
    const fit = String(transforms.fit).toLowerCase();
    if (!FITS.has(fit))
      throw wrong("transformOptions.fit", transforms.fit, `"cover", "contain", "fill", "inside" or "outside"`);
    normalized.fit = fit as Fit;
  }
  const focus = transforms.cropFocus;
  if (typeof focus === "number") {
    if (!Number.isInteger(focus) || !((focus >= 0 && focus <= 8) || focus === 16 || focus === 17))
      throw wrong("transformOptions.cropFocus", focus, "one of sharp's gravities or strategies");
  } else if (focus !== undefined) {
    const name = String(focus).replace(/_/g, " ").toLowerCase();
    if (!CROP_NAMES.has(name))
      throw wrong(
        "transformOptions.cropFocus",
        focus,
        "one of sharp's gravities or strategies: center, north, …, entropy, attention",
      );
    normalized.cropFocus = name;
  }
  const duotone = transforms.duotone;
  if (
    duotone !== undefined &&
    !(
      typeof duotone === "object" &&
      duotone !== null &&
      typeof duotone.highlight === "string" &&
      typeof duotone.shadow === "string"
    )
  ) {
    throw wrong("transformOptions.duotone", duotone, "{ highlight, shadow, opacity? } with #rrggbb colours");
  }
  return normalized;
}
