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

/** The errors `tsc -p test/fixtures/types` reports for `file`, as `line: message`. */
function diagnosticsOf(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(dir, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText)) },
  );
  assert.ok(config);
  const program = ts.createProgram([...config.fileNames, path.join(dir, file)], config.options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || !diagnostic.file.fileName.includes("node_modules"))
    .map((diagnostic) => {
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
