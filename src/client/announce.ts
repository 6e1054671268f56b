// Accessible client navigation, as Gatsby's route announcer and Next's do it: after a client
// navigation a screen reader hears the new page's title, and keyboard focus moves to the page's
// wrapper, so the next Tab starts from the new page rather than from the link that was clicked (or
// from <body>, where a re-rendered page would leave it).

/** Announces the page now on screen and moves focus to its wrapper. */
export function announcePage(container: HTMLElement): void {
  const announcer = document.getElementById("___ssr-pages-announcer");
  const title = document.title || container.querySelector("h1")?.textContent || location.pathname;
  // Changing the text of the live region is what gets it read; the same text again would not be.
  if (announcer) announcer.textContent = `Navigated to ${title.trim()}`;
  if (!container.hasAttribute("tabindex")) container.tabIndex = -1;
  // The router restores or resets the scroll position itself: focus must not scroll.
  container.focus({ preventScroll: true });
}
