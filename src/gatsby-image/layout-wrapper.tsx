/**
 * The wrapper around an image and what gives it its size before the image loads: nothing for `fixed`
 * (the wrapper has the size), a padding of the aspect ratio for `fullWidth`, and for `constrained` an
 * inline SVG of the image's size that the browser scales down like the image would.
 */
import type { CSSProperties, ReactElement, ReactNode } from "react";
import type { Layout } from "./image-sizes.js";

/** The wrapper's class, marker attribute and style for a layout (the head styles do the rest). */
export function wrapperProps(
  width: number,
  height: number,
  layout: Layout,
): { className: string; "data-gatsby-image-wrapper": string; style: CSSProperties } {
  const style: CSSProperties = {};
  let className = "gatsby-image-wrapper";
  if (layout === "fixed") {
    style.width = width;
    style.height = height;
  } else if (layout === "constrained") {
    className = "gatsby-image-wrapper gatsby-image-wrapper-constrained";
  }
  return { className, "data-gatsby-image-wrapper": "", style };
}

/** Props of {@link LayoutWrapper}. */
export interface LayoutWrapperProps {
  layout: Layout;
  width: number;
  height: number;
  children?: ReactNode;
}

/** The sizer, then the placeholder and the image. */
export function LayoutWrapper({ layout, width, height, children }: LayoutWrapperProps): ReactElement {
  return (
    <>
      <Sizer layout={layout} width={width} height={height} />
      {children}
    </>
  );
}

function Sizer({ layout, width, height }: LayoutWrapperProps): ReactElement | null {
  if (layout === "fullWidth") return <div aria-hidden style={{ paddingTop: `${(height / width) * 100}%` }} />;
  if (layout === "constrained") {
    return (
      <div style={{ maxWidth: width, display: "block" }}>
        <img
          alt=""
          role="presentation"
          aria-hidden="true"
          src={`data:image/svg+xml;charset=utf-8,%3Csvg%20height='${height}'%20width='${width}'%20xmlns='http://www.w3.org/2000/svg'%20version='1.1'%3E%3C/svg%3E`}
          style={{ maxWidth: "100%", display: "block", position: "static" }}
        />
      </div>
    );
  }
  return null;
}
