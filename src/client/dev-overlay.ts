// The development error overlay: a browser error (a component that threw while hydrating or after a
// navigation) shown over the page with its message and stack, instead of a console line nobody sees.
// Only development builds include it: production shows the server's HTML or loads the page in full.

const HOST_ID = "___ssr-pages-error-overlay";

/** Shows `error` over the page; replaces what an earlier call showed. */
export function showErrorOverlay(title: string, error: unknown, detail = ""): void {
  hideErrorOverlay();
  const host = document.createElement("div");
  host.id = HOST_ID;
  // A shadow root, so the page's styles cannot hide or restyle it.
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent =
    ":host{position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.72);font:14px/1.5 ui-monospace,Menlo,monospace}" +
    ".box{margin:5vh auto;max-width:960px;max-height:88vh;overflow:auto;background:#fff;color:#222;border-top:6px solid #d32;padding:1.2rem 1.5rem;box-shadow:0 8px 40px #0008}" +
    "h1{font:600 18px/1.3 system-ui,sans-serif;margin:0 0 .6rem;color:#b11}pre{white-space:pre-wrap;margin:.6rem 0;background:#fbeeee;padding:.8rem}" +
    // A code frame's caret lines up with its line only if neither wraps.
    ".message{white-space:pre;overflow-x:auto}" +
    "button{float:right;font:inherit;cursor:pointer;border:1px solid #ccc;background:#f7f7f7;padding:.2rem .6rem}";
  const box = document.createElement("div");
  box.className = "box";
  box.setAttribute("role", "alertdialog");
  box.setAttribute("aria-label", title);
  const close = document.createElement("button");
  close.textContent = "Close";
  close.addEventListener("click", hideErrorOverlay);
  const heading = document.createElement("h1");
  heading.textContent = title;
  const message = document.createElement("pre");
  message.className = "message";
  message.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = document.createElement("pre");
  stack.className = "stack";
  stack.textContent = [error instanceof Error ? (error.stack ?? "") : "", detail].filter(Boolean).join("\n");
  box.append(close, heading, message);
  if (stack.textContent !== "") box.append(stack);
  shadow.append(style, box);
  document.body.append(host);
}

/** Removes the overlay, if one is shown. */
export function hideErrorOverlay(): void {
  document.getElementById(HOST_ID)?.remove();
}
