// Accessible client navigation, as Gatsby's route announcer and Next's do it: after a client
// navigation a screen reader hears the new page's title, and keyboard focus moves to the page's
// wrapper, so the next Tab starts from the new page rather than from the link that was clicked (or
// from <body>, where a re-rendered page would leave it). Both are made here, at the first
// navigation: the server's HTML never needs them, and every byte of it is sent on every request.

const ANNOUNCER_ID = "___ssr-pages-announcer";

/** The live region, made on first use: visually hidden, still read. */
function announcer(): HTMLElement {
  const existing = document.getElementById(ANNOUNCER_ID);
  if (existing) return existing;
  const region = document.createElement("div");
  region.id = ANNOUNCER_ID;
  region.setAttribute("aria-live", "assertive");
  region.setAttribute("aria-atomic", "true");
  region.style.cssText =
    "position:absolute;top:0;width:1px;height:1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0";
  document.body.append(region);
  return region;
}

/** Announces the page now on screen and moves focus to its wrapper. */
export function announcePage(container: HTMLElement): void {
  const region = announcer();
  const title = document.title || container.querySelector("h1")?.textContent || location.pathname;
  // A live region is read when its text changes: two pages with the same title (`_app`'s default)
  // would say nothing. Emptied now and filled a frame later, it changes every time.
  region.textContent = "";
  requestAnimationFrame(() => {
    region.textContent = `Navigated to ${title.trim()}`;
  });
  if (!container.hasAttribute("tabindex")) {
    container.tabIndex = -1;
    container.style.outline = "none";
  }
  // The router restores or resets the scroll position itself: focus must not scroll.
  container.focus({ preventScroll: true });
}
