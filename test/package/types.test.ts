/**
 * The public types, held to the compiler: `PageProps<typeof getServerData>` infers `serverData` and
 * `params` (test/fixtures/types/passes.tsx must typecheck), and a page reading what its
 * `getServerData` never returns fails `tsc` at exactly the marked lines (fails.tsx).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";

const dir = path.resolve(import.meta.dirname, "../fixtures/types");

const PAGES = ["passes.tsx", "fails.tsx"];

/**
 * One program of both pages, as `tsc -p` would make of a folder of them: they are separate modules,
 * so neither's errors reach the other, and React's, Node's and the package's types are read and
 * checked once, not once per page.
 */
const program = (() => {
  let made: { program: ts.Program; shared: readonly string[] } | undefined;
  return (): { program: ts.Program; shared: readonly string[] } => {
    if (made) return made;
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(dir, "tsconfig.json"),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText)) },
    );
    assert.ok(config);
    const pages = PAGES.map((page) => path.join(dir, page));
    made = { program: ts.createProgram([...config.fileNames, ...pages], config.options), shared: config.fileNames };
    return made;
  };
})();

/**
 * The errors `tsc` reports for `file` (one of {@link PAGES}) and for what every page shares (the
 * options, the globals, the asset types), as `line: message`. The package's own sources, which the
 * pages reach through `paths`, are `npm run typecheck`'s.
 */
function diagnosticsOf(file: string): string[] {
  const { program: made, shared } = program();
  const sources = [path.join(dir, file), ...shared].map((name) => {
    const source = made.getSourceFile(name);
    assert.ok(source, `${name} is in the program`);
    return source;
  });
  return [
    ...made.getConfigFileParsingDiagnostics(),
    ...made.getOptionsDiagnostics(),
    ...made.getGlobalDiagnostics(),
    ...sources.flatMap((source) => [...made.getSyntacticDiagnostics(source), ...made.getSemanticDiagnostics(source)]),
  ].map((diagnostic) => {
    const where =
      diagnostic.file && diagnostic.start !== undefined
        ? `${path.basename(diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}`
        : "?";
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
}

describe("page types", { timeout: 60_000 }, () => {
  it("infers serverData and params from getServerData, leaving out branches without props", () => {
    assert.deepEqual(diagnosticsOf("passes.tsx"), []);
  });

  it("fails to typecheck a page that reads a key getServerData never returns, a param it does not declare, or data a branch may not give", () => {
    // Exactly the lines fails.tsx marks with `// error: <what>`, each error naming what it says.
    const marked = readFileSync(path.join(dir, "fails.tsx"), "utf8")
      .split("\n")
      .flatMap((line, index) =>
        line.includes("// error:")
          ? [{ line: index + 1, what: line.slice(line.indexOf("// error:") + "// error:".length).trim() }]
          : [],
      );
    assert.equal(marked.length, 4);
    const errors = diagnosticsOf("fails.tsx");
    assert.deepEqual(
      errors.map((error) => Number(/^fails\.tsx:(\d+):/.exec(error)?.[1])),
      marked.map((mark) => mark.line),
      errors.join("\n"),
    );
    assert.match(errors[0] ?? "", /Property 'total' does not exist on type '\{ count: number; label: string; \}'/);
    assert.match(errors[1] ?? "", /Property 'slug' does not exist on type '\{ id: string; \}'/);
    assert.match(errors[2] ?? "", /Property 'headers' does not exist on type '\{ count: number; label: string; \}'/);
    // Returning nothing, or only headers, renders the page without data: serverData may be undefined.
    assert.match(errors[3] ?? "", /'serverData' is possibly 'undefined'/);
  });
});
