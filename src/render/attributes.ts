/**
 * Attribute lists as React writes them (` name="value"`, values escaped), and their merging: the
 * `lang` option, a Gatsby site's `onRenderBody`, and a `Head` that renders `<html>` or `<body>`
 * each set attributes of the same two elements.
 */

/** Attribute name → value (already escaped for a double-quoted attribute), in order. */
export type Attributes = Record<string, string>;

// React writes `name="value"` with `&`, `<`, `>`, `"` and `'` escaped, or a bare name for `""`.
const ATTRIBUTE = /\s+([^\s=>"'/]+)(?:="([^"]*)")?/g;

/** Parses React's attribute list (` a="b" c`). */
export function parseAttributes(list: string): Attributes {
  const attributes: Attributes = {};
  for (const match of list.matchAll(ATTRIBUTE)) attributes[match[1] as string] = match[2] ?? "";
  return attributes;
}

/** Writes an attribute list back (` a="b"`). */
export function formatAttributes(attributes: Attributes): string {
  let list = "";
  for (const name in attributes) list += ` ${name}="${attributes[name]}"`;
  return list;
}

/** `lists` merged in order: a later list's value for a name replaces an earlier one's. */
export function mergeAttributes(...lists: string[]): string {
  const present = lists.filter((list) => list !== "");
  if (present.length <= 1) return present[0] ?? "";
  return formatAttributes(Object.assign({}, ...present.map(parseAttributes)));
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"' };

/** An attribute value as React (or our escapeHtml: `&#39;`, `&#34;`) escaped it, back to its text. */
export function unescapeAttribute(value: string): string {
  return value.replace(/&(?:amp|lt|gt|quot|#x[0-9a-f]+|#[0-9]+);/gi, (entity) =>
    entity[1] === "#"
      ? String.fromCodePoint(
          entity[2] === "x" || entity[2] === "X" ? parseInt(entity.slice(3, -1), 16) : Number(entity.slice(2, -1)),
        )
      : (ENTITIES[entity] as string),
  );
}
