// examples/docs/components/cart.tsx
import { createContext, useContext, useState, type ReactNode } from "react";

const Cart = createContext({ count: 0, add: () => {} });

/** The cart's state, above every page: `wrapRootElement` puts it there once, so navigation keeps it. */
export function CartProvider({ children }: { children: ReactNode }) {
  const [count, setCount] = useState(0);
  return <Cart.Provider value={{ count, add: () => setCount((n) => n + 1) }}>{children}</Cart.Provider>;
}

export function useCart() {
  return useContext(Cart);
}
