// examples/docs/components/Header.tsx
import { withPrefix } from "ssr-pages/client";
import logo from "./logo.png"; // "/_ssr-pages/logo-<hash>.png": relative to the mount path

export function Header() {
  return <img src={withPrefix(logo)} alt="Shop" />; // "/shop/_ssr-pages/logo-<hash>.png" under /shop
}
