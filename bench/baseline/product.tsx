/**
 * The page every contestant serves: a header, a list of 20 items from the page's data, a footer
 * (about 40 elements). The hand-written baselines render this same component into the same document.
 */

/** One list item. */
export interface Item {
  id: number;
  name: string;
  price: number;
}

/** The page's data. */
export interface ProductData {
  id: string;
  title: string;
  items: Item[];
}

/** What `getServerData` (or a hand-written route) computes for `/products/:id`, in-process. */
export function loadProduct(id: string): ProductData {
  const items: Item[] = [];
  for (let i = 0; i < 20; i++) items.push({ id: i, name: `Item ${i} of product ${id}`, price: 10 + i });
  return { id, title: `Product ${id}`, items };
}

/** The product page component. */
export function ProductPage({ serverData }: { serverData: ProductData }) {
  return (
    <div className="page">
      <header>
        <h1>{serverData.title}</h1>
        <p>Product id {serverData.id}</p>
      </header>
      <ul>
        {serverData.items.map((item) => (
          <li key={item.id}>
            {item.name}: {item.price} €
          </li>
        ))}
      </ul>
      <footer>
        <p>Footer</p>
      </footer>
    </div>
  );
}
