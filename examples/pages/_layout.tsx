import type { ReactNode } from "react";
import { Link } from "ssr-pages/client";

/** The example's frame: a nav of `Link`s (client navigation) and the page. */
export function Layout({ children }: { children: ReactNode }) {
  return (
    <>
      <nav>
        <Link to="/">Products</Link> · <Link to="/?tag=coffee">Coffee</Link> · <Link to="/about">About</Link>
      </nav>
      <main>{children}</main>
    </>
  );
}
