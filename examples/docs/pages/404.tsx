// examples/docs/pages/404.tsx
import type { PageProps } from "ssr-pages";
import { Link } from "ssr-pages/client";

/** Gatsby's convention: the not-found page. `location` is what was asked for, the mount path included. */
export default function NotFound({ location }: PageProps) {
  return (
    <>
      <h1>Not found</h1>
      <p>
        Nothing at <code>{location.pathname}</code>. <Link to="/">Home</Link>
      </p>
    </>
  );
}

export function Head() {
  return <title>Not found</title>;
}
