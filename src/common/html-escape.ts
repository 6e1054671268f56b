/** Escaping for the two places our HTML carries text: markup and attributes, and JSON inside a script. */

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HTML_SAFE_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Makes a JSON text safe inside `<script type="application/json">`: `</script>`, `<!--` and U+2028/9
 * can no longer end the script or the line. The result is still valid JSON with the same value.
 */
export function escapeJsonForHtml(json: string): string {
  return json.replace(HTML_UNSAFE, (char) => HTML_SAFE_ESCAPES[char] as string);
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
