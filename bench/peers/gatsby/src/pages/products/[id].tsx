// The benchmark's product page in Gatsby: getServerData, the same component (copied in by run.ts).
import * as React from "react";
import { loadProduct, ProductPage, type ProductData } from "../../components/product";

export async function getServerData({ params }: { params: { id: string } }) {
  return { props: loadProduct(params.id) };
}

export default function Product({ serverData }: { serverData: ProductData }) {
  return <ProductPage serverData={serverData} />;
}
