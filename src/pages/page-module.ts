/** What a page module must export, checked once when it is first loaded. */
import type { ComponentType } from "react";
import type { GetServerData } from "../types.js";
import { SsrError } from "../errors.js";

/** A page module's exports, as the core uses them. */
export interface PageModule {
  default: ComponentType<{ serverData: unknown; params: Record<string, string> }>;
  getServerData: GetServerData | undefined;
  Head: ComponentType<{ serverData: unknown; params: Record<string, string> }> | undefined;
}

/** Checks a page's exports. @throws SsrError 500 naming the file when there is no component. */
export function checkPageModule(exports: Record<string, unknown>, file: string): PageModule {
  const component = exports.default;
  if (!isComponent(component)) {
    throw new SsrError(500, `${file} has no default export that is a React component`, { page: file });
  }
  const { getServerData, Head } = exports;
  if (getServerData !== undefined && typeof getServerData !== "function") {
    throw new SsrError(500, `${file} exports getServerData, but it is a ${typeof getServerData}, not a function`, { page: file });
  }
  return {
    default: component as PageModule["default"],
    getServerData: getServerData as GetServerData | undefined,
    Head: isComponent(Head) ? (Head as PageModule["Head"]) : undefined,
  };
}

function isComponent(value: unknown): boolean {
  // Function components, classes, and the objects React.memo / forwardRef / lazy return.
  return typeof value === "function" || (typeof value === "object" && value !== null && "$$typeof" in value);
}
