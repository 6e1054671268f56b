/**
 * `ImageSharp`, gatsby-transformer-sharp's node type, with `gatsbyImageData(…)` and `original`, and
 * the enums and inputs of its arguments under Gatsby's names. Images are made by the build's image
 * hooks, only for what a query asks.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLEnumValueConfigMap,
} from "graphql";
import type { SchemaHooks } from "../contracts.js";
import { readAs, type Source } from "./field-reading.js";
import { toImageOptions, type ImageDataArgs } from "./image-options.js";
import type { NodeInterface } from "./node-interface.js";
import type { NodeStore, SiteNode } from "./node-store.js";
import { NODE_TYPE } from "./nodes.js";
import { GraphQLGatsbyImageData } from "./scalars.js";

function enumOf(name: string, values: Readonly<Record<string, string>>): GraphQLEnumType {
  const config: GraphQLEnumValueConfigMap = {};
  for (const [key, value] of Object.entries(values)) config[key] = { value };
  return new GraphQLEnumType({ name, values: config });
}

const layout = enumOf("GatsbyImageLayout", { FIXED: "fixed", FULL_WIDTH: "fullWidth", CONSTRAINED: "constrained" });
const placeholder = enumOf("GatsbyImagePlaceholder", {
  DOMINANT_COLOR: "dominantColor",
  TRACED_SVG: "tracedSVG",
  BLURRED: "blurred",
  NONE: "none",
});
const format = enumOf("ImageFormat", {
  NO_CHANGE: "",
  AUTO: "auto",
  JPG: "jpg",
  PNG: "png",
  WEBP: "webp",
  AVIF: "avif",
});
const fit = enumOf("ImageFit", {
  COVER: "cover",
  CONTAIN: "contain",
  FILL: "fill",
  INSIDE: "inside",
  OUTSIDE: "outside",
});
// sharp's position names, which it takes as `position` as well as its numeric constants.
const cropFocus = enumOf("ImageCropFocus", {
  CENTER: "center",
  NORTH: "north",
  NORTHEAST: "northeast",
  EAST: "east",
  SOUTHEAST: "southeast",
  SOUTH: "south",
  SOUTHWEST: "southwest",
  WEST: "west",
  NORTHWEST: "northwest",
  ENTROPY: "entropy",
  ATTENTION: "attention",
});
const turnPolicy = enumOf("PotraceTurnPolicy", {
  TURNPOLICY_BLACK: "black",
  TURNPOLICY_WHITE: "white",
  TURNPOLICY_LEFT: "left",
  TURNPOLICY_RIGHT: "right",
  TURNPOLICY_MINORITY: "minority",
  TURNPOLICY_MAJORITY: "majority",
});

const duotone = new GraphQLInputObjectType({
  name: "DuotoneGradient",
  fields: {
    highlight: { type: new GraphQLNonNull(GraphQLString) },
    shadow: { type: new GraphQLNonNull(GraphQLString) },
    opacity: { type: GraphQLInt },
  },
});

/** The arguments of `gatsbyImageData`, as gatsby-transformer-sharp declares them (without its defaults: the hook has them). */
const imageDataArgs = {
  layout: { type: layout },
  width: { type: GraphQLInt },
  height: { type: GraphQLInt },
  aspectRatio: { type: GraphQLFloat },
  placeholder: { type: placeholder },
  blurredOptions: {
    type: new GraphQLInputObjectType({
      name: "BlurredOptions",
      fields: { width: { type: GraphQLInt }, toFormat: { type: format } },
    }),
  },
  tracedSVGOptions: {
    type: new GraphQLInputObjectType({
      name: "Potrace",
      fields: {
        turnPolicy: { type: turnPolicy },
        turdSize: { type: GraphQLFloat },
        alphaMax: { type: GraphQLFloat },
        optCurve: { type: GraphQLBoolean },
        optTolerance: { type: GraphQLFloat },
        threshold: { type: GraphQLInt },
        blackOnWhite: { type: GraphQLBoolean },
        color: { type: GraphQLString },
        background: { type: GraphQLString },
      },
    }),
  },
  formats: { type: new GraphQLList(format) },
  outputPixelDensities: { type: new GraphQLList(GraphQLFloat) },
  breakpoints: { type: new GraphQLList(GraphQLInt) },
  sizes: { type: GraphQLString },
  quality: { type: GraphQLInt },
  jpgOptions: {
    type: new GraphQLInputObjectType({
      name: "JPGOptions",
      fields: { quality: { type: GraphQLInt }, progressive: { type: GraphQLBoolean } },
    }),
  },
  pngOptions: {
    type: new GraphQLInputObjectType({
      name: "PNGOptions",
      fields: { quality: { type: GraphQLInt }, compressionSpeed: { type: GraphQLInt } },
    }),
  },
  webpOptions: { type: new GraphQLInputObjectType({ name: "WebPOptions", fields: { quality: { type: GraphQLInt } } }) },
  avifOptions: {
    type: new GraphQLInputObjectType({
      name: "AVIFOptions",
      fields: { quality: { type: GraphQLInt }, lossless: { type: GraphQLBoolean }, speed: { type: GraphQLInt } },
    }),
  },
  transformOptions: {
    type: new GraphQLInputObjectType({
      name: "TransformOptions",
      fields: {
        grayscale: { type: GraphQLBoolean },
        duotone: { type: duotone },
        rotate: { type: GraphQLInt },
        trim: { type: GraphQLFloat },
        cropFocus: { type: cropFocus },
        fit: { type: fit },
      },
    }),
  },
  backgroundColor: { type: GraphQLString },
};

/** `original`'s source: the image file, its size read once per schema. */
interface OriginalImage {
  readonly file: string;
  readonly info: () => Promise<{ width: number; height: number }>;
}

/** `ImageSharp`, making images through `hooks`; its parent `File` is found through `store`. */
export function createImageSharpType(node: NodeInterface, store: NodeStore, hooks: SchemaHooks): GraphQLObjectType {
  const imageFile = (source: Source): string => {
    const file = store.get((source as SiteNode).parent);
    if (file === undefined) throw new Error(`ImageSharp node ${String(source.id)} has no File parent`);
    return file.absolutePath as string;
  };
  const original = new GraphQLObjectType<OriginalImage>({
    name: "ImageSharpOriginal",
    fields: {
      width: { type: GraphQLFloat, resolve: async (image) => (await image.info()).width },
      height: { type: GraphQLFloat, resolve: async (image) => (await image.info()).height },
      // Only asked for, since asking serves the image.
      src: { type: GraphQLString, resolve: (image) => hooks.publicURL(image.file) },
    },
  });
  return new GraphQLObjectType<Source>({
    name: NODE_TYPE.imageSharp,
    interfaces: [node.type],
    fields: () => ({
      ...node.fields(),
      gatsbyImageData: {
        type: new GraphQLNonNull(GraphQLGatsbyImageData),
        args: imageDataArgs,
        resolve: (source, args: ImageDataArgs) => hooks.imageData(imageFile(source), toImageOptions(args)),
        extensions: readAs({ searchable: false }),
      },
      original: {
        type: original,
        resolve: (source): OriginalImage => {
          const file = imageFile(source);
          return { file, info: () => hooks.imageInfo(file) }; // the planner keeps each file's, once
        },
        extensions: readAs({ searchable: false }),
      },
    }),
  });
}
