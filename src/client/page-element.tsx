import type { ComponentType, ReactElement } from "react";
import { RouterContext } from "./router-context.js";

/** The props every page component receives. */
export interface PageElementProps {
  serverData: unknown;
  params: Record<string, string>;
}

/**
 * The one tree both the server and the browser render for a page. Keeping it in one function is what
 * keeps server HTML and client hydration in step.
 */
export function createPageElement(
  Page: ComponentType<PageElementProps>,
  props: PageElementProps,
  base: string,
): ReactElement {
  return (
    <RouterContext.Provider value={{ base }}>
      <Page serverData={props.serverData} params={props.params} />
    </RouterContext.Provider>
  );
}
