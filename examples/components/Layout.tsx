import { useState, type ReactNode } from "react";
import { Link, withPrefix } from "ssr-pages/client";
import logo from "./logo.png";
import styles from "./layout.module.css";

/**
 * The shop's frame, put around every page by `_app.tsx`: a header of `Link`s (client navigation), the
 * logo, and a basket counter whose state survives navigation (it is the same component on every page).
 */
export function Layout({ children }: { children: ReactNode }) {
  const [basket, setBasket] = useState(0);
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <Link to="/" className={styles.brand}>
          <img src={withPrefix(logo)} alt="" width={40} height={16} />{" "}
          {process.env.PUBLIC_SHOP_NAME ?? "The example shop"}
        </Link>
        <nav className={styles.nav}>
          <Link to="/">Products</Link> <Link to="/?tag=coffee">Coffee</Link> <Link to="/about">About</Link>
        </nav>
        <button type="button" className={styles.basket} onClick={() => setBasket((n) => n + 1)}>
          Basket: {basket}
        </button>
      </header>
      <main className={styles.main}>{children}</main>
    </div>
  );
}
