// examples/styles/pages/_app.tsx
import "./global.css";
import type { WrapPageElementArgs } from "ssr-pages";
import { Nav } from "../components/Nav";

export function wrapPageElement({ element }: WrapPageElementArgs) {
  return (
    <div className="mx-auto max-w-2xl p-6">
      <Nav />
      {element}
    </div>
  );
}
