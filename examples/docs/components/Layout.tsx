// examples/docs/components/Layout.tsx
import type { ReactNode } from "react";
import { Link } from "ssr-pages/client";
import { useCart } from "./cart";
import { Header } from "./Header";

/** Around each page (see _app.tsx): the logo, links that navigate on the client, the cart's count. */
export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const cart = useCart();
  return (
    <div data-path={path}>
      <Header />
      <nav>
        <Link to="/">Home</Link> <Link to="/products">Products</Link> <Link to="/kettle">Kettle</Link>
        <button type="button" onClick={cart.add}>
          Cart: {cart.count}
        </button>
      </nav>
      <main>{children}</main>
    </div>
  );
}
