// examples/pages/products/[id].tsx
import { useState } from "react";
import type { GetServerDataContext, HeadProps, PageProps } from "ssr-pages";
import { findProduct } from "../../components/catalog";
import styles from "../product.module.css";

/** Params from the file name, the 404 page for an unknown id, and a response header. */
export async function getServerData({ params, headers }: GetServerDataContext<{ id: string }>) {
  const product = findProduct(params.id);
  if (!product) return { status: 404 };
  return {
    props: { product, viewer: headers.get("user-agent") ?? "unknown" },
    headers: { "X-Product-Id": product.id },
  };
}

export function Head({ serverData }: HeadProps<typeof getServerData>) {
  return <title>{serverData.product.name}</title>;
}

export default function ProductPage({ serverData }: PageProps<typeof getServerData>) {
  const [quantity, setQuantity] = useState(1);
  const { product } = serverData;
  return (
    <article className={styles.card}>
      <h1>{product.name}</h1>
      <p>
        <span className={styles.price}>{product.price} €</span> · {product.tags.join(", ")}
      </p>
      <button type="button" onClick={() => setQuantity((n) => n + 1)}>
        Add one ({quantity})
      </button>
    </article>
  );
}
