/**
 * How the server build's pages are grouped into files, written once for the compile that makes the
 * groups and the runtime that loads them (which must not import the compile: a served build needs
 * no compiler). A page's loader is found by its slot: group `slot / PAGES_PER_GROUP`, index
 * `slot % PAGES_PER_GROUP` there.
 */

/** Pages per group: a group is evaluated whole (not its pages: those on first use). */
export const PAGES_PER_GROUP = 64;

/** The file name of a group of the server build. */
export const groupName = (group: number): string => `pages-${group}.js`;

/** The group file and loader index a page's slot stands for. */
export function loaderAt(slot: number): { group: string; index: number } {
  return { group: groupName(Math.floor(slot / PAGES_PER_GROUP)), index: slot % PAGES_PER_GROUP };
}
