/**
 * `File` and `Directory`, the node types of gatsby-source-filesystem, with the fields Gatsby
 * declares for them (built-in-types.ts) and `File.publicURL`; with gatsby-transformer-sharp,
 * `File.childImageSharp` and `File.childrenImageSharp`.
 */
import {
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from "graphql";
import type { SchemaHooks } from "../contracts.js";
import { dateField } from "./dates.js";
import { readAs, type Source } from "./field-reading.js";
import type { NodeInterface } from "./node-interface.js";
import type { NodeStore, SiteNode } from "./node-store.js";
import { NODE_TYPE } from "./nodes.js";

/** What the file-system types are made from. */
export interface FileSystemTypesOptions {
  readonly node: NodeInterface;
  readonly store: NodeStore;
  readonly hooks: SchemaHooks;
  /** `ImageSharp`, when gatsby-transformer-sharp is configured. */
  readonly imageSharp: GraphQLObjectType | undefined;
}

/** `File` and `Directory`. */
export function createFileSystemTypes({ node, store, hooks, imageSharp }: FileSystemTypesOptions): {
  file: GraphQLObjectType;
  directory: GraphQLObjectType;
} {
  const file = new GraphQLObjectType<Source>({
    name: NODE_TYPE.file,
    interfaces: [node.type],
    fields: () => ({
      ...node.fields(),
      ...entryFields(store.ofType(NODE_TYPE.file)),
      publicURL: {
        type: GraphQLString,
        description: "Copy file to static directory and return public url to it",
        // Asking for it serves the file: only a query that selects it may do that.
        resolve: (source) => hooks.publicURL(fileOf(source).absolutePath as string),
        extensions: readAs({ searchable: false }),
      },
      ...(imageSharp === undefined ? {} : childFields(imageSharp, store)),
    }),
  });
  const directory = new GraphQLObjectType<Source>({
    name: NODE_TYPE.directory,
    interfaces: [node.type],
    fields: () => ({ ...node.fields(), ...entryFields(store.ofType(NODE_TYPE.directory)) }),
  });
  return { file, directory };
}

function fileOf(source: Source): SiteNode {
  return source as SiteNode;
}

const nonNullString = { type: new GraphQLNonNull(GraphQLString) };

/** The fields gatsby-source-filesystem gives files and directories alike. */
function entryFields(nodes: readonly SiteNode[]): GraphQLFieldConfigMap<Source, unknown> {
  const date = (
    key: string,
    extra: { nonNull?: boolean; deprecationReason?: string } = { nonNull: true },
  ): GraphQLFieldConfig<Source, unknown> => dateField({ value: (source) => source[key], ...extra });
  const integer = (key: string, nonNull = true): GraphQLFieldConfig<Source, unknown> => {
    const type = integerType(nodes, key);
    return { type: nonNull ? new GraphQLNonNull(type) : type };
  };
  const float = { type: new GraphQLNonNull(GraphQLFloat) };
  const deprecated = "Use `birthTime` instead";
  return {
    sourceInstanceName: nonNullString,
    absolutePath: nonNullString,
    relativePath: nonNullString,
    extension: nonNullString,
    size: integer("size"),
    prettySize: nonNullString,
    modifiedTime: date("modifiedTime"),
    accessTime: date("accessTime"),
    changeTime: date("changeTime"),
    birthTime: date("birthTime"),
    root: nonNullString,
    dir: nonNullString,
    base: nonNullString,
    ext: nonNullString,
    name: nonNullString,
    relativeDirectory: nonNullString,
    dev: integer("dev"),
    mode: integer("mode"),
    nlink: integer("nlink"),
    uid: integer("uid"),
    gid: integer("gid"),
    rdev: integer("rdev"),
    blksize: integer("blksize", false),
    ino: float,
    blocks: integer("blocks", false),
    atimeMs: float,
    mtimeMs: float,
    ctimeMs: float,
    birthtimeMs: { type: GraphQLFloat, deprecationReason: deprecated },
    atime: date("atime"),
    mtime: date("mtime"),
    ctime: date("ctime"),
    birthtime: date("birthtime", { deprecationReason: deprecated }),
  };
}

/**
 * `Int`, as Gatsby declares these stat fields, unless a value does not fit in 32 bits (a device
 * number, a size past 2 GB), which `Int` cannot carry: then `Float`, as Gatsby infers such values.
 */
function integerType(nodes: readonly SiteNode[], key: string): GraphQLOutputType {
  const fits = nodes.every((node) => {
    const value = node[key];
    return typeof value !== "number" || (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31);
  });
  return fits ? GraphQLInt : GraphQLFloat;
}

/** `childImageSharp` and `childrenImageSharp`: the file's `ImageSharp` child, found through its `children`. */
function childFields(imageSharp: GraphQLObjectType, store: NodeStore): GraphQLFieldConfigMap<Source, unknown> {
  const children = (source: Source): SiteNode[] =>
    fileOf(source).children.flatMap((id) => {
      const child = store.get(id);
      return child?.internal.type === NODE_TYPE.imageSharp ? [child] : [];
    });
  const first = (source: Source): SiteNode | null => children(source)[0] ?? null;
  return {
    childImageSharp: {
      type: imageSharp,
      description:
        "Returns the first child node of type ImageSharp or null if there are no children of given type on this node",
      resolve: first,
      extensions: readAs({ value: first }),
    },
    childrenImageSharp: {
      type: new GraphQLList(imageSharp),
      description: "Returns all children nodes filtered by type ImageSharp",
      resolve: children,
      extensions: readAs({ value: children }),
    },
  };
}
