// The learner's progress, kept in a git-ignored file at the workspace's root so
// that it survives restarts: which katas passed, which were tried, which is current.
// A damaged file never crashes a command and is never silently thrown away: it is
// copied aside, what can be read of it is kept, and the learner is told where.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
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

/** What was wrong with a progress file, and what was kept of it. */
interface Reading {
  progress: Progress;
  /** Why the file is not a valid progress file, in words; undefined when it is (or is missing). */
  problem?: string;
}

function fresh(): Progress {
  return { done: [], started: [] };
}

function isNames(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** Reads a progress file, keeping every field that has the right shape. */
function readProgress(file: string): Reading {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { progress: fresh(), problem: code === "ENOENT" ? undefined : `it cannot be read (${code})` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { progress: fresh(), problem: `it is not JSON (${(err as Error).message})` };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { progress: fresh(), problem: "it is JSON, but not an object with done, started and current" };
  }
  const { done, started, current } = raw as Record<string, unknown>;
  const wrong: string[] = [];
  if (done !== undefined && !isNames(done)) wrong.push('"done" is not a list of kata names');
  if (started !== undefined && !isNames(started)) wrong.push('"started" is not a list of kata names');
  if (current !== undefined && typeof current !== "string") wrong.push('"current" is not a kata name');
  const progress: Progress = {
    done: isNames(done) ? done : [],
    started: isNames(started) ? started : [],
    ...(typeof current === "string" ? { current } : {}),
  };
  return { progress, problem: wrong.length > 0 ? `its ${wrong.join(", its ")}` : undefined };
}

/** Reads the progress file; a missing one is a fresh start, a damaged one gives what can be read of it. */
export function loadProgress(file: string): Progress {
  return readProgress(file).progress;
}

/**
 * Checks the progress file before a command uses it. A damaged one is copied
 * aside (`.kata-state.json.broken-<time>`) and replaced by what could be read
 * of it. Returns what happened and how to recover, for the learner; undefined
 * when the file is fine or missing.
 */
export function repairProgress(file: string, now: Date = new Date()): string | undefined {
  const { progress, problem } = readProgress(file);
  if (!problem) return undefined;
  const backup = `${file}.broken-${now.toISOString().replaceAll(":", "-").replace(/\.\d+Z$/, "")}`;
  const name = basename(file);
  try {
    if (existsSync(file)) copyFileSync(file, backup);
    saveProgress(progress, file);
  } catch (err) {
    return `Your progress file ${name} is damaged (${problem}) and cannot be replaced: ` +
      `${(err as Error).message}. Progress will not be saved until it is mended or removed.`;
  }
  const kept = progress.done.length > 0 ? `what could be read of it (${progress.done.length} katas done)` : "no progress";
  return `Your progress file ${name} was damaged: ${problem}. It is kept as ${basename(backup)}, and ${name} ` +
    `starts again from ${kept}. To recover, mend that copy and rename it to ${name}; or run ` +
    `npx kata verify --keep-going, which marks every kata that passes as done again.`;
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

let unsaved = false;

/**
 * Updates the progress file in one step: read, change, write. A file that
 * cannot be written (a read-only folder, a full disk) is said once, on stderr,
 * and the command goes on: a verdict matters more than its record.
 */
export function updateProgress(file: string, change: (p: Progress) => Progress): Progress {
  const next = change(loadProgress(file));
  try {
    saveProgress(next, file);
  } catch (err) {
    if (!unsaved) {
      unsaved = true;
      process.stderr.write(`Cannot save your progress to ${basename(file)}: ${(err as Error).message}\n`);
    }
  }
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
