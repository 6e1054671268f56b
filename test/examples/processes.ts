// Not a test: what the tests that start real processes (npm start, the cluster example) share.
import { readFileSync } from "node:fs";

/** Alive and not a zombie (a process that exited but was not reaped still answers signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}
