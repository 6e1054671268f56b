import type { GetServerDataContext, PageProps } from "../../../src/index.js";
import { loadProduct, ProductPage, type ProductData } from "../../baseline/product.js";

export function getServerData({ params }: GetServerDataContext<{ id: string }>) {
  return { props: loadProduct(params.id) };
}

export default function Product({ serverData }: PageProps<ProductData>) {
  return <ProductPage serverData={serverData} />;
}
