// Puts a kata's code back as it was given: the versions of the last commit, which
// in a fresh clone are the stubs. Files git does not track are left alone.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Kata } from "../katas.ts";

/** A file of the kata that differs from its committed version. */
export interface Change {
  /** Absolute path. */
  path: string;
  /** The committed content, to write back. */
  committed: Buffer;
}

function git(root: string, args: string[]): Buffer {
  return execFileSync("git", ["-C", root, ...args], { stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 << 20 });
}

/** The kata's .ts files whose content is not the committed one; throws when there is no commit to go by. */
export function changedFiles(root: string, kata: Kata): Change[] {
  const rel = relative(root, kata.learnerDir);
  let listed: string;
  try {
    listed = git(root, ["ls-files", "-z", "--", rel]).toString("utf8");
  } catch {
    throw new Error(`Cannot reset ${kata.dir}: ${root} is not a git checkout (or git is not installed), ` +
      `so there is no original to go back to.`);
  }
  const files = listed.split("\0").filter((f) => f.endsWith(".ts"));
  if (files.length === 0) throw new Error(`Cannot reset ${kata.dir}: git tracks no .ts file in ${rel}/.`);
  return files.flatMap((f) => {
    let committed: Buffer;
    try {
      committed = git(root, ["show", `HEAD:./${f}`]);
    } catch {
      return []; // added to the index but never committed: nothing to go back to
    }
    const path = join(root, f);
    const now = existsSync(path) ? readFileSync(path) : undefined;
    return now?.equals(committed) ? [] : [{ path, committed }];
  });
}

/** Writes the committed versions back. */
export function restore(changes: Change[]): void {
  for (const c of changes) writeFileSync(c.path, c.committed);
}
