/**
 * A build's id: a hash of everything it serves and runs (server files, browser files, assets, the
 * public environment), so the same sources give the same id on every machine, and any change of
 * code gives another. The client router compares it on each navigation (client/router.ts).
 */
import { createHash } from "node:crypto";
import type { CompileOutput } from "./compile.js";

/** The id of `output` (and of `extra`, what else decides the build): 16 base64url characters of a SHA-256. */
export function buildIdOf(output: Pick<CompileOutput, "server" | "browser" | "assets" | "env">, extra = ""): string {
  const hash = createHash("sha256");
  const add = (name: string, contents: Uint8Array | string) => {
    hash.update(`${name}\0${typeof contents === "string" ? Buffer.byteLength(contents) : contents.byteLength}\0`);
    hash.update(contents);
  };
  for (const name of [...output.server.files.keys()].sort())
    add(`server/${name}`, output.server.files.get(name) as Buffer);
  const served = [...(output.browser?.files ?? []), ...output.assets].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const file of served) add(`browser/${file.name}`, file.contents);
  add("env", JSON.stringify(Object.entries(output.env).sort()));
  add("extra", extra);
  return hash.digest("base64url").slice(0, 16);
}
