/**
 * The public types, held to the compiler: `PageProps<typeof getServerData>` infers `serverData` and
 * `params` (test/fixtures/types/passes.tsx must typecheck), and a page reading what its
 * `getServerData` never returns fails `tsc` at exactly the marked lines (fails.tsx).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";

const dir = path.resolve(import.meta.dirname, "../fixtures/types");

/** The errors `tsc -p test/fixtures/types` reports for `file`, as `line: message`. */
function diagnosticsOf(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText)) });
  assert.ok(config);
  const program = ts.createProgram([...config.fileNames, path.join(dir, file)], config.options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || !diagnostic.file.fileName.includes("node_modules"))
    .map((diagnostic) => {
      const where = diagnostic.file && diagnostic.start !== undefined ? `${path.basename(diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}` : "?";
      return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
    });
}

describe("page types", { timeout: 60_000 }, () => {
  it("infers serverData and params from getServerData, leaving out branches without props", () => {
    assert.deepEqual(diagnosticsOf("passes.tsx"), []);
  });

  it("fails to typecheck a page that reads a key getServerData never returns, or a param it does not declare", () => {
    const errors = diagnosticsOf("fails.tsx");
    assert.equal(errors.length, 3, errors.join("\n"));
    assert.match(errors[0] ?? "", /^fails\.tsx:11: Property 'total' does not exist on type '\{ count: number; label: string; \}'/);
    assert.match(errors[1] ?? "", /^fails\.tsx:12: Property 'slug' does not exist on type '\{ id: string; \}'/);
    assert.match(errors[2] ?? "", /^fails\.tsx:13: Property 'headers' does not exist on type '\{ count: number; label: string; \}'/);
  });
});
