/**
 * The site's nodes, as Gatsby keeps them: plain objects with an `id`, their `parent` and `children`
 * ids and an `internal` record, found by id or by type. Built once per compile, read by every query.
 */

/** Gatsby's `internal` record of a node. */
export interface NodeInternal {
  /** The GraphQL type of the node (`File`, `SitePage`). */
  readonly type: string;
  /** The plugin that made it (`gatsby-source-filesystem`). */
  readonly owner: string;
  readonly mediaType?: string;
  /** A digest of the node's content: changes when the content does (may be worked out on first read). */
  readonly contentDigest: string;
  readonly description?: string;
}

/** A node: its fields, as its GraphQL type reads them, and Gatsby's node bookkeeping. */
export interface SiteNode extends Readonly<Record<string, unknown>> {
  readonly id: string;
  readonly parent: string | null;
  readonly children: readonly string[];
  readonly internal: NodeInternal;
}

/** Every node of a site, by id and by type, in the order they were added. */
export class NodeStore {
  readonly #byId = new Map<string, SiteNode>();
  readonly #byType = new Map<string, SiteNode[]>();

  /** Adds `node` (its id must be new). */
  add(node: SiteNode): void {
    if (this.#byId.has(node.id)) throw new Error(`Two nodes have the id ${JSON.stringify(node.id)}`);
    this.#byId.set(node.id, node);
    const ofType = this.#byType.get(node.internal.type);
    if (ofType === undefined) this.#byType.set(node.internal.type, [node]);
    else ofType.push(node);
  }

  /** The node with `id`, if any. */
  get(id: string | null | undefined): SiteNode | undefined {
    return id == null ? undefined : this.#byId.get(id);
  }

  /** The nodes of GraphQL type `type`, in the order they were added. */
  ofType(type: string): readonly SiteNode[] {
    return this.#byType.get(type) ?? [];
  }
}
