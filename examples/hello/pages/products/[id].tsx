// examples/hello/pages/products/[id].tsx
import type { GetServerDataContext, PageProps } from "ssr-pages";
import styles from "./product.module.css";

const products = new Map([["1", { name: "Pour-over kettle", price: 42 }]]);

export async function getServerData({ params }: GetServerDataContext<{ id: string }>) {
  const product = products.get(params.id);
  if (!product) return { status: 404 }; // the 404 page answers
  return { props: { product }, headers: { "Cache-Control": "public, max-age=60" } };
}

export default function Product({ serverData }: PageProps<typeof getServerData>) {
  return <h1 className={styles.title}>{serverData.product.name}</h1>; // serverData's type is inferred
}
