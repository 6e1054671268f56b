// examples/streaming/pages/product.tsx
import { Suspense, use } from "react";
import type { GetServerDataContext, PageProps } from "ssr-pages";

/** A slow upstream: the reviews service answers in 600 ms. */
function fetchReviews(id: string): Promise<Array<{ author: string; text: string; at: Date }>> {
  return new Promise((resolve) =>
    setTimeout(
      () => resolve([{ author: "Ada", text: `Product ${id} is great`, at: new Date(Date.UTC(2026, 0, 5)) }]),
      600,
    ),
  );
}

export async function getServerData({ query }: GetServerDataContext) {
  const id = typeof query.id === "string" ? query.id : "1";
  // Awaited: the page needs it to render at all (and its status comes from it).
  const product = { id, name: `Product ${id}` };
  // Not awaited: a deferred prop. The page goes out now; the reviews stream in when they arrive.
  const reviews = fetchReviews(id);
  return { props: { product, reviews } };
}

function Reviews({ reviews }: { reviews: Promise<Array<{ author: string; text: string; at: Date }>> }) {
  return (
    <ul id="reviews">
      {use(reviews).map((review) => (
        <li key={review.author}>
          {review.text}, {review.author}, {review.at.toISOString().slice(0, 10)}
        </li>
      ))}
    </ul>
  );
}

export default function Product({ serverData }: PageProps<typeof getServerData>) {
  return (
    <main>
      <h1>{serverData.product.name}</h1>
      <Suspense fallback={<p id="reviews-loading">Loading reviews…</p>}>
        <Reviews reviews={serverData.reviews} />
      </Suspense>
    </main>
  );
}
