// The learner's progress, kept in a git-ignored file at the repository's root so
// that it survives restarts: which katas passed, and which one is current.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../katas.ts";

/** The progress file's path (git-ignored). */
export const STATE_FILE = join(ROOT, ".kata-state.json");

/** What the learner has done so far. */
export interface Progress {
  /** Katas (folder names) whose tests passed against the learner's files. */
  done: string[];
  /** The kata the learner is on, if chosen. */
  current?: string;
  /** Katas whose tests were run at least once. */
  started: string[];
}

/** Reads the progress file; a missing or unreadable one is a fresh start. */
export function loadProgress(file: string = STATE_FILE): Progress {
  try {
    const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<Progress>;
    return { done: raw.done ?? [], started: raw.started ?? [], current: raw.current };
  } catch {
    return { done: [], started: [] };
  }
}

/** Writes the progress file atomically (a temporary file, then rename). */
export function saveProgress(progress: Progress, file: string = STATE_FILE): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(progress, null, 2) + "\n");
  renameSync(tmp, file);
}

/** Records the outcome of a run of a kata's tests. */
export function recordOutcome(progress: Progress, kata: string, passed: boolean): Progress {
  const done = progress.done.filter((k) => k !== kata);
  if (passed) done.push(kata);
  const started = progress.started.includes(kata) ? progress.started : [...progress.started, kata];
  return { ...progress, done, started };
}
