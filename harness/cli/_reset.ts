// Puts a kata's folder back as its authors gave it (see stubsOf in _git.ts for
// what "as given" means once the learner has committed an attempt), keeping
// whatever it overwrites in a git-ignored backup folder. Files the kata never
// had (the learner's own) are left alone.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Kata } from "../katas.ts";
import { NoGitError, stubsOf } from "./_git.ts";

/** The folder, at the root, where reset keeps the learner's versions (git-ignored). */
export const BACKUP_DIR_NAME = ".kata-backups";

/** A file of the kata that differs from its stub, or is missing. */
export interface Change {
  /** Absolute path. */
  path: string;
  /** The stub's content, to write back. */
  stub: Buffer;
  /** The commit the stub comes from (abbreviated). */
  commit: string;
  missing: boolean;
}

/** The kata's files that are not as given; throws when there is no git history to go by. */
export function changedFiles(root: string, kata: Kata): Change[] {
  let stubs;
  try {
    stubs = stubsOf(root, kata.learnerDir);
  } catch (err) {
    if (!(err instanceof NoGitError)) throw err;
    throw new Error(`Cannot reset ${kata.dir}: ${err.message}, so there is no original to go back to. ` +
      `The stubs are in the project's git history (katas/${kata.dir}/ in a fresh clone).`);
  }
  if (stubs.length === 0) throw new Error(`Cannot reset ${kata.dir}: git has no file of katas/${kata.dir}/ that you did not write.`);
  return stubs.flatMap(({ path: rel, content, commit }) => {
    const path = join(root, rel);
    const now = existsSync(path) ? readFileSync(path) : undefined;
    return now?.equals(content) ? [] : [{ path, stub: content, commit, missing: now === undefined }];
  });
}

/** A stamp for a backup folder: 2026-05-01T12-00-00. */
function stamp(now: Date): string {
  return now.toISOString().replaceAll(":", "-").replace(/\.\d+Z$/, "");
}

/**
 * Writes the stubs back, first copying each file it overwrites into
 * `<root>/.kata-backups/<kata>/<time>/`; returns that folder, or undefined when
 * every change was a missing file (nothing of the learner's to keep).
 */
export function restore(root: string, kata: Kata, changes: Change[], now: Date = new Date()): string | undefined {
  const backup = join(root, BACKUP_DIR_NAME, kata.dir, stamp(now));
  let kept = false;
  for (const c of changes) {
    if (!c.missing) {
      const to = join(backup, c.path.slice(kata.learnerDir.length + 1));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(c.path, to);
      kept = true;
    }
  }
  for (const c of changes) {
    mkdirSync(dirname(c.path), { recursive: true });
    writeFileSync(c.path, c.stub);
  }
  return kept ? backup : undefined;
}
