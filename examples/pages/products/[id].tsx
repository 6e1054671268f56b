import { useState } from "react";
import type { GetServerDataContext, HeadProps, PageProps } from "ssr-pages";
import { findProduct, type Product } from "../_catalog";
import { Layout } from "../_layout";

type ServerData = { product: Product; viewer: string } | { missing: string };

/** Params from the file name, a 404 status for an unknown id, and a response header. */
export async function getServerData({ params, headers }: GetServerDataContext<{ id: string }>) {
  const product = findProduct(params.id);
  if (!product) return { status: 404, props: { missing: params.id } satisfies ServerData };
  return {
    props: { product, viewer: headers.get("user-agent") ?? "unknown" } satisfies ServerData,
    headers: { "X-Product-Id": product.id },
  };
}

export function Head({ serverData }: HeadProps<ServerData>) {
  return <title>{"product" in serverData ? serverData.product.name : "Not found"}</title>;
}

export default function ProductPage({ serverData }: PageProps<ServerData>) {
  const [quantity, setQuantity] = useState(1);
  if ("missing" in serverData) {
    return (
      <Layout>
        <h1>{`No product ${serverData.missing}`}</h1>
      </Layout>
    );
  }
  const { product } = serverData;
  return (
    <Layout>
      <h1>{product.name}</h1>
      <p>{product.price} € · {product.tags.join(", ")}</p>
      <button type="button" onClick={() => setQuantity((n) => n + 1)}>
        Add one ({quantity})
      </button>
    </Layout>
  );
}
