/**
 * The styles gatsby-plugin-image puts in every page's head once (its `onRenderBody`), as raw HTML for
 * the document's head: the wrapper's layout, the main image hidden until loaded, and, without
 * JavaScript, the `<noscript>` image shown and the placeholder hidden. Styles only: the page runs
 * under `script-src 'self'`, so Gatsby's inline loader scripts are not part of it (the component
 * reveals images itself once hydrated).
 */

const WRAPPER_STYLES =
  ".gatsby-image-wrapper{position:relative;overflow:hidden}" +
  ".gatsby-image-wrapper picture.object-fit-polyfill{position:static!important}" +
  ".gatsby-image-wrapper img{bottom:0;height:100%;left:0;margin:0;max-width:none;padding:0;position:absolute;right:0;top:0;width:100%;object-fit:cover}" +
  ".gatsby-image-wrapper [data-main-image]{opacity:0;transform:translateZ(0);transition:opacity .25s linear;will-change:opacity}" +
  ".gatsby-image-wrapper-constrained{display:inline-block;vertical-align:top}";

const NO_SCRIPT_STYLES =
  ".gatsby-image-wrapper noscript [data-main-image]{opacity:1!important}.gatsby-image-wrapper [data-placeholder-image]{opacity:0!important}";

/** gatsby-plugin-image's head styles, as HTML, for pages that show images (put once in the `<head>`). */
export const GATSBY_IMAGE_HEAD_STYLES = `<style>${WRAPPER_STYLES}</style><noscript><style>${NO_SCRIPT_STYLES}</style></noscript>`;

/**
 * For a page served without scripts (`client: false`, or a page whose browser code failed): the
 * browser runs JavaScript, so the `<noscript>` copy is not shown, and nothing will reveal the main
 * image on load. Shown at once instead, over its placeholder.
 */
export const GATSBY_IMAGE_STYLES_WITHOUT_SCRIPTS =
  "<style>.gatsby-image-wrapper [data-main-image]{opacity:1!important}.gatsby-image-wrapper [data-placeholder-image]{opacity:0!important}</style>";
