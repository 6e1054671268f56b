import { Link } from "ssr-pages/client";
import type { GetServerDataContext, HeadProps, PageProps } from "ssr-pages";
import { findProducts, type Product } from "./_catalog";
import { Layout } from "./_layout";

interface ServerData {
  search: string;
  tag: string | null;
  products: Product[];
}

/** The query filters the list: `/?q=cup`, `/?tag=coffee`. */
export function getServerData({ query }: GetServerDataContext) {
  const search = typeof query.q === "string" ? query.q : "";
  const tag = typeof query.tag === "string" ? query.tag : undefined;
  return {
    props: { search, tag: tag ?? null, products: findProducts(search, tag) } satisfies ServerData,
    // The list is the same for everyone: let shared caches keep it for a minute.
    headers: { "Cache-Control": "public, max-age=60" },
  };
}

export function Head({ serverData }: HeadProps<ServerData>) {
  return <title>{serverData.tag ? `Products tagged ${serverData.tag}` : "Products"}</title>;
}

export default function ProductList({ serverData }: PageProps<ServerData>) {
  return (
    <Layout>
      <h1>{serverData.tag ? `Products tagged “${serverData.tag}”` : "All products"}</h1>
      <form method="get">
        <input name="q" defaultValue={serverData.search} placeholder="Search" />
      </form>
      <ul>
        {serverData.products.map((product) => (
          <li key={product.id}>
            <Link to={`/products/${product.id}`}>{product.name}</Link> ({product.price} €)
          </li>
        ))}
      </ul>
    </Layout>
  );
}
