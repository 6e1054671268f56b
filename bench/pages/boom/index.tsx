/** The error path: getServerData throws on every request. */
export function getServerData(): never {
  throw new Error("boom");
}

export default function Boom() {
  return <p>never rendered</p>;
}
