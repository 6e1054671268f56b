/**
 * The development client, in development builds only (production builds resolve it to nothing): it
 * listens to the middleware's event stream and keeps the open tab in step with the code. After a
 * rebuild the page on screen is fetched again (data, module, stylesheets) and rendered in place,
 * keeping the scroll position and what `wrapRootElement` holds; when the client entry itself changed
 * (`_app`, the runtime, a shared chunk), only a full load can bring it in. Compile errors show in the
 * overlay until a build without them.
 */
import { hideErrorOverlay, showErrorOverlay } from "./dev-overlay.js";
import { EVENTS_PATH } from "../common/urls.js";
import type { DevEvent as BuildEvent } from "../dev/event-stream.js";

const RECONNECT_MS = 500;

/** What the client entry hands over. */
export interface DevClientOptions {
  base: string;
  /** Renders the page on screen again from fresh page data, in place. Rejects when it cannot. */
  refresh: () => Promise<void>;
}

/** Starts listening. */
export function start({ base, refresh }: DevClientOptions): void {
  if (typeof EventSource !== "function") return;
  const url = base + EVENTS_PATH;
  /** The build this tab shows, once the stream has said which that is. */
  let shown: number | undefined;
  let lost = false;
  let showsCompileErrors = false;
  let showsPageFailure = false;
  const onBuild = (message: Event): void => {
    const event = JSON.parse((message as MessageEvent<string>).data) as BuildEvent;
    if (lost) {
      // The server went away and is back (a restart): its code may be anything now.
      location.reload();
      return;
    }
    const first = shown === undefined;
    const changed = !first && event.id !== shown;
    shown = event.id;
    if (event.errors.length > 0) {
      showCompileErrors(event.errors);
      showsCompileErrors = true;
    } else if (showsCompileErrors) {
      // Only the overlay this client showed: a browser error's overlay stays until its page goes.
      hideErrorOverlay();
      showsCompileErrors = false;
    }
    if (!changed) return;
    if (event.errors.length > 0) return; // the overlay says what to fix; the page stays as it is
    if (event.entry !== undefined && event.entry !== currentEntry()) {
      location.reload();
      return;
    }
    refresh().then(
      () => {
        if (showsPageFailure) hideErrorOverlay();
        showsPageFailure = false;
      },
      (error: unknown) => {
        // getServerData or the render threw on the server: its message and (mapped) stack, in place.
        if (error instanceof Error && error.name === "PageFailure") {
          showErrorOverlay("The page failed on the server", error.message, error.stack);
          showsPageFailure = true;
        } else location.reload();
      },
    );
  };
  const connect = (): void => {
    const source = new EventSource(url);
    source.addEventListener("build", onBuild);
    source.addEventListener("error", () => {
      // The server went away (a restart, Ctrl-C): the next build event, from whatever answers
      // then, means it is back. Reconnected by hand, every half second: a browser's own reconnect
      // may back off, or give up for good when a reconnect is answered with anything but the
      // stream (a host still starting, a proxy's error page).
      // Any failure counts, also before the first event: a tab that loaded just before a restart
      // (its script started after the server went away) shows the old server's page too.
      lost = true;
      source.close();
      setTimeout(connect, RECONNECT_MS);
    });
  };
  connect();
}

function showCompileErrors(errors: BuildEvent["errors"]): void {
  const [first, ...rest] = errors;
  if (!first) return;
  const more = rest.length > 0 ? `\n\n…and ${rest.length} more:\n\n${rest.map((error) => error.message).join("\n\n")}` : "";
  showErrorOverlay(first.file ? `Failed to compile ${first.file}` : "Failed to compile", first.message + more);
}

/** The file name of the client entry this document loaded. */
function currentEntry(): string | undefined {
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[type="module"][src]')) {
    const name = new URL(script.src).pathname.split("/").pop() ?? "";
    if (/^entry-\w+\.js$/.test(name)) return name;
  }
  return undefined;
}
