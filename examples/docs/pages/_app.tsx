// examples/docs/pages/_app.tsx
import "./site.css";
import type { WrapPageElementArgs, WrapRootElementArgs } from "ssr-pages";
import { CartProvider } from "../components/cart";
import { Layout } from "../components/Layout";

export function wrapRootElement({ element }: WrapRootElementArgs) {
  return <CartProvider>{element}</CartProvider>; // once, around everything
}

export function wrapPageElement({ element, props }: WrapPageElementArgs) {
  return <Layout path={props.location.pathname}>{element}</Layout>; // around each page
}

export function Head() {
  return (
    <>
      <title>My shop</title>
      <link rel="icon" href="/favicon.ico" />
    </>
  );
}
