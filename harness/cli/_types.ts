// Type-checks a kata's program files with the project's own tsc (TypeScript 7,
// native: well under a second), beside its tests. Node runs TypeScript without
// looking at its types, so without this a program with a type error could pass.
import { execa } from "execa";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { cleanUpOnExit } from "../_exit_cleanup.ts";
import { type Kata, programFiles, ROOT } from "../katas.ts";
import { tempDir } from "../temp_dir.ts";

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
/** Longest a type check may take, in ms: far above its usual second, for a loaded machine. */
const TSC_DEADLINE_MS = 60_000;
/** Error lines shown at most (each error's continuation lines count). */
const MAX_LINES = 12;

/** A type check under way; `cancel()` ends it. */
export interface TypeCheck {
  /**
   * The errors in the kata's own files, as tsc prints them (file(line,col): error TSnnnn: …),
   * paths relative to the workspace; empty when there are none; undefined when tsc could not run.
   */
  errors: Promise<string[] | undefined>;
  cancel(): void;
}

/** Starts tsc over the kata's program files with the project's compiler options. */
export function typeCheckKata(kata: Kata): TypeCheck {
  const files = programFiles(kata.learnerDir).map((f) => join(kata.learnerDir, f));
  if (!existsSync(TSC) || files.length === 0) return { errors: Promise.resolve(undefined), cancel() {} };
  const root = dirname(dirname(kata.learnerDir));
  // Named after this process: if a SIGKILL leaves it, the next harness to start removes it.
  const dir = tempDir("kata-types-");
  const config = {
    extends: join(ROOT, "tsconfig.json"),
    compilerOptions: { typeRoots: [join(ROOT, "node_modules", "@types")], noEmit: true },
    include: [],
    files,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
  const abort = new AbortController();
  // typescript/bin/tsc is a Node script that runs the native compiler as its child: in a group of
  // its own, both end together (on cancel, at a timeout, and if this process exits or is interrupted).
  const tsc = execa(process.execPath, [TSC, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], {
    cwd: root,
    reject: false,
    timeout: TSC_DEADLINE_MS,
    cancelSignal: abort.signal,
    stdin: "ignore",
    detached: true,
  });
  const killGroup = () => {
    try {
      if (tsc.pid) process.kill(-tsc.pid, "SIGKILL");
    } catch {
      // Ended already.
    }
  };
  const forget = cleanUpOnExit(killGroup);
  const errors = tsc.then((r) => {
    // Cut short, the wrapper may have left the native compiler running: end it too. (After a
    // normal end there is nothing left, and the group's number may be reused: leave it.)
    if (r.isCanceled || r.timedOut || (r.failed && r.exitCode === undefined)) {
      killGroup();
      return undefined;
    }
    return errorsIn(`${r.stdout}\n${r.stderr}`, relative(root, kata.learnerDir));
  }).finally(() => {
    forget();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    errors,
    cancel: () => {
      abort.abort();
      killGroup();
    },
  };
}

/** tsc's lines about files in `folder`, each error with its indented continuation lines. */
export function errorsIn(output: string, folder: string): string[] {
  const out: string[] = [];
  let keep = false;
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    if (!/^\s/.test(line)) keep = line.startsWith(`${folder}/`);
    if (keep) out.push(line);
  }
  return out.length > MAX_LINES ? [...out.slice(0, MAX_LINES), `… and ${out.length - MAX_LINES} more lines`] : out;
}
