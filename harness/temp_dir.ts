// Temporary folders for tests, made where nothing is left behind: inside the
// folder that the process running the test file owns (KATA_TMPDIR, which it
// removes even when it has to kill the test file at its first failure), or in
// the system's temp folder, removed when this process ends.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanUpOnExit } from "./_exit_cleanup.ts";
import { ownerTag } from "./_sweep.ts";

/** Names the folder under which a test file makes its temporary folders. */
export const TMPDIR_VAR = "KATA_TMPDIR";

/**
 * A new empty folder named `<prefix>XXXXXX`, removed when this process ends
 * (or by its parent). Outside KATA_TMPDIR it is named `<prefix><pid>.<ticks>-XXXXXX`
 * after this process, so that if a SIGKILL gives no chance to remove it, the
 * next harness to start does.
 */
export function tempDir(prefix: string): string {
  const base = process.env[TMPDIR_VAR];
  if (base) mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(base ? join(base, prefix) : join(tmpdir(), `${prefix}${ownerTag()}-`));
  cleanUpOnExit(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
