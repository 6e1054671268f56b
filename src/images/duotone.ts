/**
 * gatsby-plugin-sharp's `duotone`: each pixel's luminance picks a colour on the gradient from the
 * shadow colour (dark) to the highlight colour (light), laid over the image at `opacity` percent.
 */
import type { Sharp } from "sharp";
import type { SharpModule } from "./load-sharp.js";

/** `transformOptions.duotone`. */
export interface Duotone {
  highlight: string;
  shadow: string;
  /** Percent of the duotone over the image (`undefined` or 0: the duotone alone, as Gatsby). */
  opacity?: number | undefined;
}

/**
 * `image` in duotone, as raw pixels ready to encode.
 * @throws Error when a colour is not `#rrggbb`.
 */
export async function applyDuotone(sharp: SharpModule, image: Sharp, duotone: Duotone): Promise<Sharp> {
  const highlight = rgbOf(duotone.highlight, "highlight");
  const shadow = rgbOf(duotone.shadow, "shadow");
  // Gatsby's gradient: 256 steps from shadow to highlight.
  const gradient = new Uint8Array(256 * 3);
  for (let step = 0; step < 256; step += 1) {
    const ratio = step / 255;
    for (let channel = 0; channel < 3; channel += 1)
      gradient[step * 3 + channel] = Math.round(highlight[channel]! * ratio + shadow[channel]! * (1 - ratio));
  }
  const share = duotone.opacity ? Math.min(Math.max(duotone.opacity / 100, 0), 1) : 1;
  // sRGB so that a grayscale image has three channels to colour.
  const { data, info } = await image.toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  for (let at = 0; at < data.length; at += info.channels) {
    const luminance = Math.round(0.2126 * data[at]! + 0.7152 * data[at + 1]! + 0.0722 * data[at + 2]!);
    for (let channel = 0; channel < 3; channel += 1) {
      data[at + channel] = Math.round(gradient[luminance * 3 + channel]! * share + data[at + channel]! * (1 - share));
    }
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

/** `#rrggbb` (or `rrggbb`) as three numbers. */
function rgbOf(hex: string, name: string): [number, number, number] {
  const match = /^#?([a-f\d]{2})([a-f\d]{2})([a-f\d]{2})$/i.exec(hex);
  if (!match) throw new Error(`duotone's ${name} must be a colour written #rrggbb, not ${JSON.stringify(hex)}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}
