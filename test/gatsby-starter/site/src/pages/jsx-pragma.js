/** @jsx h */
import * as React from "react";

// A custom JSX factory through the pragma, as theme-ui and emotion sites write it: it works with
// Gatsby's default classic JSX runtime (the automatic runtime refuses a `@jsx` pragma).
const h = (type, props, ...children) => React.createElement(type, typeof type === "string" ? { ...props, "data-factory": "h" } : props, ...children);

export default function JsxPragma() {
  return (
    <main>
      <p id="pragma">made by the pragma's factory</p>
    </main>
  );
}
