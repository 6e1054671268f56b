/**
 * The compile's images: gatsby-plugin-image's data for each image a page uses (`StaticImage`,
 * `gatsbyImageData`) and the variants that data names. Nothing full-size is encoded here: variants
 * are only named (the server makes each on its first request). What needs the image's pixels (its
 * size, dominant colour, blurred placeholder) is kept on disk by the image's hash, so a second start
 * neither decodes the image nor loads sharp.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { formatOfMetadata } from "../../images/formats.js";
import { loadSharp, type SharpModule } from "../../images/load-sharp.js";
import { sourceHashOf } from "../../images/source-hash.js";
import type { VariantRecipe } from "../../images/render-variant.js";
import type { GatsbyImageData, ImageOptions, ImageVariant } from "../contracts.js";
import { PlannerDiskCache } from "./disk-cache.js";
import { planImage, recipeHash, type PlannedSource } from "./plan-image.js";
import { blurredPlaceholderOf, dominantColorOf } from "./placeholders.js";

/** Options of {@link ImagePlanner}. */
export interface ImagePlannerOptions {
  /** Where sharp is loaded from: the site's root. */
  fromDir: string;
  /** The disk cache of what decoding images told (and, for the server, of variants). */
  cacheDir: string;
}

/** An image's size and format, from its header. */
export interface ImageInfo {
  width: number;
  height: number;
  format: string;
}

/** What is kept of a source image: its hash and size (never its bytes: they are read again when needed). */
type SourceImage = PlannedSource;

/** One compile's images (make a new planner for the next compile: a file is read once per planner). */
export class ImagePlanner {
  /** Image files read (for the dev watcher), also those that could not be read. */
  readonly sources: ReadonlySet<string> = new Set<string>();
  private readonly fromDir: string;
  private readonly cache: PlannerDiskCache;
  private readonly planned = new Map<string, ImageVariant>();
  private readonly sourceImages = new Map<string, Promise<SourceImage>>();
  private readonly placeholders = new Map<string, Promise<string>>();
  private sharpModule: SharpModule | undefined;

  constructor(options: ImagePlannerOptions) {
    this.fromDir = options.fromDir;
    this.cache = new PlannerDiskCache(options.cacheDir);
  }

  /**
   * gatsby-plugin-image's data for `file` (absolute) with `options`, its URLs mount-relative
   * (`/_ssr-pages/img/…`); every variant it names is recorded.
   * @throws (rejects) Error naming the file when it is missing, not an image, or the options are wrong.
   */
  async imageData(file: string, options: ImageOptions): Promise<GatsbyImageData> {
    const source = await this.sourceImage(file);
    const plan = planImage(source, options);
    for (const variant of plan.variants) this.planned.set(variant.name, variant);
    const data = plan.data;
    if (plan.placeholder.kind === "dominantColor") {
      // As in Gatsby, the dominant colour replaces a `backgroundColor` option as the data's background.
      data.backgroundColor = await this.dominantColor(source);
    } else if (plan.placeholder.kind === "blurred") {
      data.placeholder = { fallback: await this.blurred(source, plan.placeholder.recipe) };
    }
    return data;
  }

  /**
   * The image's size (upright, by its EXIF orientation) and format (`jpg`, `png`, `webp`…), from its header.
   * @throws (rejects) Error naming the file when it is missing or not an image.
   */
  async imageInfo(file: string): Promise<ImageInfo> {
    const { width, height, format } = await this.sourceImage(file);
    return { width, height, format };
  }

  /** Every variant named so far, by name. */
  variants(): ReadonlyMap<string, ImageVariant> {
    return this.planned;
  }

  /** The file's hash and size: read and hashed once; its header decoded only when the disk cache does not know it. */
  private sourceImage(file: string): Promise<SourceImage> {
    let image = this.sourceImages.get(file);
    if (!image) {
      (this.sources as Set<string>).add(file);
      image = this.readSourceImage(file);
      this.sourceImages.set(file, image);
    }
    return image;
  }

  private async readSourceImage(file: string): Promise<SourceImage> {
    const { hash, bytes } = await this.hashOf(file);
    const text = await this.cache.remember(`meta/${hash}.json`, async () => {
      let metadata: Awaited<ReturnType<ReturnType<SharpModule>["metadata"]>>;
      try {
        metadata = await this.sharp()(bytes ?? (await readImage(file))).metadata();
      } catch (error) {
        throw new Error(`Could not read the image ${file}: ${(error as Error).message}`, { cause: error });
      }
      const format = formatOfMetadata(metadata);
      if (!format || !metadata.width || !metadata.height) {
        throw new Error(
          `The image ${file} is ${metadata.format ?? "of an unknown format"}: StaticImage and gatsbyImageData resize JPEG, PNG, WebP, AVIF, GIF and TIFF images`,
        );
      }
      // Upright: the variants are turned by the EXIF orientation, so their sizes are worked out from this one.
      const upright =
        metadata.autoOrient ??
        ((metadata.orientation ?? 1) >= 5 ? { width: metadata.height, height: metadata.width } : metadata);
      return JSON.stringify({ width: upright.width, height: upright.height, format });
    });
    const { width, height, format } = JSON.parse(text) as Omit<SourceImage, "file" | "hash">;
    return { file, hash, width, height, format };
  }

  /**
   * The file's content hash. A start that finds the file as the last one left it (same size and
   * modification time, noted on disk by its path) takes the hash noted then, without reading the
   * file: a site of 200 photos is 56 MB to read and hash, on every start. (A variant made later is
   * checked against the file's real hash: see images/image-variants.ts.) `bytes` when it was read.
   */
  private async hashOf(file: string): Promise<{ hash: string; bytes: Buffer | undefined }> {
    let stats: { size: number; mtimeMs: number };
    try {
      stats = await stat(file);
    } catch {
      await readImage(file); // says why, naming the file
      throw new Error(`Could not read the image ${file}`);
    }
    const key = `stat/${createHash("sha256").update(file).digest("base64url").slice(0, 24)}.json`;
    const noted = await this.cache.read(key);
    if (noted !== undefined) {
      const seen = JSON.parse(noted) as { size?: unknown; mtimeMs?: unknown; hash?: unknown };
      if (seen.size === stats.size && seen.mtimeMs === stats.mtimeMs && typeof seen.hash === "string")
        return { hash: seen.hash, bytes: undefined };
    }
    const bytes = await readImage(file);
    const hash = sourceHashOf(bytes);
    await this.cache.write(key, JSON.stringify({ size: stats.size, mtimeMs: stats.mtimeMs, hash }));
    return { hash, bytes };
  }

  /** The dominant colour of a source, by its hash: from memory, the disk cache, or decoded now. */
  private dominantColor(source: SourceImage): Promise<string> {
    return this.placeholder(`placeholders/${source.hash}-dominant.txt`, async () =>
      dominantColorOf(this.sharp(), await this.sourceBytes(source)),
    );
  }

  /** The blurred placeholder of a source at a recipe (crop, transforms, format), by both hashes. */
  private blurred(source: SourceImage, recipe: VariantRecipe): Promise<string> {
    const key = `placeholders/${source.hash}-blurred-${recipeHash(recipe)}-${recipe.width}x${recipe.height}.txt`;
    return this.placeholder(key, async () =>
      blurredPlaceholderOf(this.sharp(), await this.sourceBytes(source), recipe),
    );
  }

  /** One placeholder, made once per planner however many images ask for it at the same time. */
  private placeholder(key: string, make: () => Promise<string>): Promise<string> {
    let value = this.placeholders.get(key);
    if (!value) {
      value = this.cache.remember(key, make);
      this.placeholders.set(key, value);
    }
    return value;
  }

  /** A source's bytes again (only when a placeholder must be made), checked against the hash planned with. */
  private async sourceBytes(source: SourceImage): Promise<Uint8Array> {
    const bytes = await readImage(source.file);
    if (sourceHashOf(bytes) !== source.hash)
      throw new Error(`The image ${source.file} changed while the compile was reading it: compile again`);
    return bytes;
  }

  /** sharp from the site's `node_modules`, loaded on first need (never, when the disk cache knows every image). */
  private sharp(): SharpModule {
    return (this.sharpModule ??= loadSharp(this.fromDir, "Images (StaticImage, gatsbyImageData)"));
  }
}

/** A source image's bytes, or an error that names it. */
async function readImage(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `The image ${file} does not exist`
        : `Could not read the image ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
