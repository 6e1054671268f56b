// Site-wide for every page: the stylesheet, the layout (kept across client navigation), the head tags.
import "./site.css";
import type { WrapPageElementArgs } from "ssr-pages";
import { withPrefix } from "ssr-pages/client";
import { Layout } from "../components/Layout";
import logo from "../components/logo.png";

export function wrapPageElement({ element }: WrapPageElementArgs) {
  return <Layout>{element}</Layout>;
}

export function Head() {
  return (
    <>
      <title>The example shop</title>
      <link rel="icon" type="image/png" href={withPrefix(logo)} />
    </>
  );
}
