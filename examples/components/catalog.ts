// The example's data source, imported by pages (outside the pages directory: not a page).

/** A product of the example shop. */
export interface Product {
  id: string;
  name: string;
  price: number;
  tags: string[];
}

const products: Product[] = [
  { id: "1", name: "Espresso cup", price: 9, tags: ["kitchen", "coffee"] },
  { id: "2", name: "Pour-over kettle", price: 45, tags: ["kitchen", "coffee"] },
  { id: "3", name: "Linen apron", price: 29, tags: ["kitchen"] },
  { id: "4", name: "Notebook", price: 12, tags: ["desk"] },
];

/** Products whose name contains `search` (case-insensitive), optionally with a tag. */
export function findProducts(search: string, tag: string | undefined): Product[] {
  const needle = search.toLowerCase();
  return products.filter(
    (product) => product.name.toLowerCase().includes(needle) && (tag === undefined || product.tags.includes(tag)),
  );
}

/** One product, or undefined. */
export function findProduct(id: string): Product | undefined {
  return products.find((product) => product.id === id);
}
