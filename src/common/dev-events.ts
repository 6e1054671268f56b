/**
 * What the development event stream tells each open tab (dev/event-stream.ts sends it,
 * client/dev-client.ts reads it): the one shape both sides share, here below both.
 */

/** What the dev client is told. */
export interface DevEvent {
  type: "build";
  /** Counts the builds (and failed rebuilds) of this middleware: a tab that saw another id is behind. */
  id: number;
  /** The client entry's file name: when it changed, a tab can only catch up with a full load. */
  entry: string | undefined;
  /**
   * The file names of `_app`'s stylesheets (the entry's), which every page links: swapped in place
   * when they changed (a Tailwind class new to some component, a Sass partial `_app` uses).
   */
  entryCss: readonly string[];
  /** What the overlay shows; empty when everything compiles. */
  errors: DevError[];
  /**
   * Why this build was made: `"start"`, the loop's first (the routes, nothing compiled yet);
   * `"save"`, files changed; `"request"`, a page no build had compiled was asked for (development
   * compiles a page on its first request). A request build changes no code a tab runs: the tab keeps
   * running its own, and its next navigation, seeing another build id, loads in full.
   */
  cause: "start" | "save" | "request";
  /**
   * For a `"save"`: the files whose change it builds, relative to the pages directory with `/`
   * separators (`blog/[id].tsx`), or absolute when outside it (`/app/src/components/card.tsx`).
   * Empty for the other causes.
   */
  changed: readonly string[];
}

/** A compile problem as the overlay shows it: the message carries `file:line:column`, the line and a pointer. */
export interface DevError {
  file: string | undefined;
  message: string;
  /**
   * Whose problem it is: `"pages"` when only the pages that import the file fail with it (they
   * answer it, and a tab on one of them shows it); `"site"` when every page is concerned (a rebuild
   * that failed, `_app`, a browser build without scripts).
   */
  scope: "pages" | "site";
}
