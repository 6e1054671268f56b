import { useContext } from "react";
import type { ComponentPropsWithRef, MouseEvent, ReactElement } from "react";
import { navigate } from "./navigate.js";
import { hrefFor, isUnderBase, stripBase } from "./paths.js";
import { RouterContext } from "../common/router-context.js";

/**
 * Props of {@link Link}: every `<a>` prop except `href`, plus `to` and `replace`.
 *
 * @example
 * ```tsx
 * import { Link, type LinkProps } from "ssr-pages/client";
 *
 * function NavLink(props: LinkProps) {
 *   return <Link {...props} className="nav-link" />;
 * }
 * ```
 */
export interface LinkProps extends Omit<ComponentPropsWithRef<"a">, "href"> {
  /**
   * Where to go, relative to where the pages are mounted: `/blog/1?tab=2#comments`. The rendered `href`
   * gets the mount path (`/shop/blog/1...` under `app.use("/shop", ...)`). Absolute URLs
   * (`https://...`, `//host/...`) and relative ones are rendered as written.
   */
  to: string;
  /**
   * Replace the current history entry instead of pushing a new one.
   * @default false
   */
  replace?: boolean;
  /** Given to the new page as `location.state` (see `navigate`). */
  state?: unknown;
}

/**
 * A link to another page. It renders a real `<a href>` (so it works before hydration, without
 * JavaScript, in a new tab and for crawlers) and turns a plain left click into a client navigation:
 * the page's data is fetched as JSON and rendered in place, with no document reload. Clicks with a
 * modifier key, a `target` other than `_self`, a `download` attribute, a link to another origin or
 * outside the mount path, or an `onClick` that calls `preventDefault()` are left to the browser.
 *
 * @example
 * ```tsx
 * import { Link } from "ssr-pages/client";
 *
 * export default function Nav() {
 *   return (
 *     <nav>
 *       <Link to="/">Home</Link>
 *       <Link to="/blog/1?ref=nav" className="post">First post</Link>
 *       <Link to="/login" replace>Log in</Link>
 *     </nav>
 *   );
 * }
 * ```
 */
export function Link({ to, replace, state, onClick, ...anchorProps }: LinkProps): ReactElement {
  const { base } = useContext(RouterContext);

  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (!isPlainClick(event)) return;
    const url = new URL(event.currentTarget.href);
    if (url.origin !== location.origin || !isUnderBase(url.pathname, base)) return;
    // A jump to an anchor on this very page: the browser scrolls and keeps the history right by itself.
    if (url.hash !== "" && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    void navigate(stripBase(url.pathname, base) + url.search + url.hash, { replace: replace === true, state });
  }

  return <a {...anchorProps} href={hrefFor(base, to)} onClick={handleClick} />;
}

/** A click the browser would turn into a same-tab navigation, not yet claimed by anyone else. */
function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  const anchor = event.currentTarget;
  return (
    !event.defaultPrevented &&
    event.button === 0 &&
    !event.metaKey &&
    !event.altKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    (anchor.target === "" || anchor.target === "_self") &&
    !anchor.hasAttribute("download")
  );
}
