import type { GetServerDataContext } from "ssr-pages";

/** An old URL scheme: a permanent redirect. `/products/…` is taken relative to the mount point. */
export function getServerData({ params }: GetServerDataContext<{ id: string }>) {
  return { status: 301, headers: { Location: `/products/${encodeURIComponent(params.id)}` } };
}

export default function OldProduct() {
  return null;
}
