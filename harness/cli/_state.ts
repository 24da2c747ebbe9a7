// The learner's progress, kept in a git-ignored file at the workspace's root so
// that it survives restarts: which katas passed, which were tried, which is current.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Kata } from "../katas.ts";

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
export function loadProgress(file: string): Progress {
  try {
    const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<Progress>;
    return { done: raw.done ?? [], started: raw.started ?? [], current: raw.current };
  } catch {
    return { done: [], started: [] };
  }
}

/** Writes the progress file atomically (a temporary file, then rename). */
export function saveProgress(progress: Progress, file: string): void {
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

/** Updates the progress file in one step: read, change, write. */
export function updateProgress(file: string, change: (p: Progress) => Progress): Progress {
  const next = change(loadProgress(file));
  saveProgress(next, file);
  return next;
}

/** The kata to work on: the chosen one unless it is done, else the first not done. */
export function currentKata(progress: Progress, katas: Kata[]): Kata | undefined {
  const chosen = katas.find((k) => k.dir === progress.current);
  if (chosen && !progress.done.includes(chosen.dir)) return chosen;
  return katas.find((k) => !progress.done.includes(k.dir));
}

/** The next kata not done after `kata`, wrapping around; undefined when all are done. */
export function nextKata(progress: Progress, katas: Kata[], kata: Kata): Kata | undefined {
  const at = katas.indexOf(kata);
  const order = [...katas.slice(at + 1), ...katas.slice(0, at + 1)];
  return order.find((k) => !progress.done.includes(k.dir));
}

/** A kata's state in words for lists. */
export function stateOf(progress: Progress, kata: Kata): "done" | "in progress" | "not started" {
  if (progress.done.includes(kata.dir)) return "done";
  return progress.started.includes(kata.dir) ? "in progress" : "not started";
}
