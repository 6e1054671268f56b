/** A page without getServerData: its serverData is undefined. */
export default function About() {
  return (
    <>
      <h1>About</h1>
      <p>Pages rendered by ssr-pages, on {typeof window === "undefined" ? "the server" : "the client"} first.</p>
    </>
  );
}

export function Head() {
  return <title>About</title>;
}
