// examples/styles/components/Nav.tsx
import { useEffect, useState } from "react";
import { Link } from "ssr-pages/client";

/** Links to every page; marks itself once React has hydrated it (the tests wait for that). */
export function Nav() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <nav className="mb-6 flex gap-4 text-brand underline" data-hydrated={hydrated || undefined}>
      <Link to="/">Tailwind</Link>
      <Link to="/sass">Sass</Link>
      <Link to="/styled">styled-components</Link>
      <Link to="/emotion">emotion</Link>
    </nav>
  );
}
