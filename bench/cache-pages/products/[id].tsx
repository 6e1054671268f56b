// The benchmark's product page, cached: a shared cache header, so every request after the first is a hit.
import type { GetServerDataContext, PageProps } from "../../../src/index.js";
import { loadProduct, ProductPage, type ProductData } from "../../baseline/product.js";

export function getServerData({ params }: GetServerDataContext<{ id: string }>) {
  return { props: loadProduct(params.id), headers: { "Cache-Control": "public, s-maxage=3600" } };
}

export default function Product({ serverData }: PageProps<ProductData>) {
  return <ProductPage serverData={serverData} />;
}
