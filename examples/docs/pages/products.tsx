// examples/docs/pages/products.tsx
import type { PageProps } from "ssr-pages";

/** Stands for a database or an API. */
async function fetchProducts() {
  return [
    { id: "1", name: "Pour-over kettle" },
    { id: "2", name: "Espresso cup" },
  ];
}

export async function getServerData() {
  const products = await fetchProducts();
  return {
    props: { products },
    headers: { "Cache-Control": "public, s-maxage=60, stale-while-revalidate=600", "Cache-Tag": "products" },
  };
}

export default function Products({ serverData }: PageProps<typeof getServerData>) {
  return (
    <ul>
      {serverData.products.map((product) => (
        <li key={product.id}>{product.name}</li>
      ))}
    </ul>
  );
}
