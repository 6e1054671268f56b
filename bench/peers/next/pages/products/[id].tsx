// The benchmark's product page in Next.js: getServerSideProps, the same component (copied in by run.ts).
import type { GetServerSideProps } from "next";
import { loadProduct, ProductPage, type ProductData } from "../../components/product";

export const getServerSideProps: GetServerSideProps<{ serverData: ProductData }> = async ({ params }) => ({
  props: { serverData: loadProduct(String(params?.id)) },
});

export default function Product({ serverData }: { serverData: ProductData }) {
  return <ProductPage serverData={serverData} />;
}
