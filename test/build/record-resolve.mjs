// `node --import ./record-resolve.mjs`: registers a resolve hook that appends every URL the
// process resolves (ES module imports) to the file named by RECORD_RESOLVED_TO, one per line.
import { register } from "node:module";

const file = process.env.RECORD_RESOLVED_TO;
if (!file) throw new Error("RECORD_RESOLVED_TO is not set");
register("./record-resolve-hooks.mjs", import.meta.url, { data: { file } });
