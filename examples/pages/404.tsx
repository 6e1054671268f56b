import { Link } from "ssr-pages/client";
import type { PageProps } from "ssr-pages";

/** The not-found page: an unknown product, and (through `pages.notFound`) any path nothing else takes. */
export default function NotFound({ location }: PageProps) {
  return (
    <>
      <h1>Not found</h1>
      <p>
        Nothing at <code>{location.pathname}</code>. <Link to="/">See all products</Link>.
      </p>
    </>
  );
}

export function Head() {
  return <title>Not found</title>;
}
