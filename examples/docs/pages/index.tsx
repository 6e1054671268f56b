// examples/docs/pages/index.tsx
import { Link, navigate } from "ssr-pages/client";

export default function Home() {
  return (
    <>
      <h1>Home</h1>
      {/* A real <a href="/shop/products?color=red"> under /shop: it works without JavaScript too. */}
      <Link to="/products?color=red">Red products</Link>
      <button type="button" onClick={() => navigate("/kettle", { replace: true })}>
        See the kettle
      </button>
    </>
  );
}
