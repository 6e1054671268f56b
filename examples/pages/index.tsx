import { Link } from "ssr-pages/client";
import type { GetServerDataContext, HeadProps, PageProps } from "ssr-pages";
import { findProducts } from "../components/catalog";
import styles from "./product.module.css";

/** The query filters the list: `/?q=cup`, `/?tag=coffee`. */
export function getServerData({ query }: GetServerDataContext) {
  const search = typeof query.q === "string" ? query.q : "";
  const tag = typeof query.tag === "string" ? query.tag : null;
  return {
    props: { search, tag, products: findProducts(search, tag ?? undefined) },
    // The list is the same for everyone: let shared caches keep it for a minute.
    headers: { "Cache-Control": "public, max-age=60" },
  };
}

export function Head({ serverData }: HeadProps<typeof getServerData>) {
  return <title>{serverData.tag ? `Products tagged ${serverData.tag}` : "Products"}</title>;
}

export default function ProductList({ serverData }: PageProps<typeof getServerData>) {
  return (
    <>
      <h1>{serverData.tag ? `Products tagged “${serverData.tag}”` : "All products"}</h1>
      <form method="get">
        <input name="q" defaultValue={serverData.search} placeholder="Search" />
      </form>
      <ul className={styles.list}>
        {serverData.products.map((product) => (
          <li key={product.id} className={styles.card}>
            <Link to={`/products/${product.id}`}>{product.name}</Link>{" "}
            <span className={styles.price}>{product.price} €</span>
          </li>
        ))}
      </ul>
    </>
  );
}
