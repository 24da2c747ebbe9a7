// What the learner can do, written once for both ways of asking: a command
// (`npm run kata -- reset 02`) and a key in watch mode (`x`). Each action
// prints for the learner; a question goes through `ask`, which a command
// answers from the terminal's line and watch mode from the next key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Kata, programFiles } from "../katas.ts";
import { formatShortVerdict, formatVerdict, paint, progressBar, say } from "./_print.ts";
import { changedFiles, restore } from "./_reset.ts";
import { loadProgress, recordOutcome, updateProgress } from "./_state.ts";
import { type Judging, judgeKata, type Verdict } from "./_verdict.ts";
import { shown, type Workspace } from "./_workspace.ts";

/** Whose files the tests run against. */
export type Target = "learner" | "solution";

/** Asks a yes-or-no question; resolves true for yes. */
export type Ask = (question: string) => Promise<boolean>;

/** The kata's number as a learner types it: "02". */
export function numberOf(k: Kata): string {
  return String(k.number).padStart(2, "0");
}

/** Puts the kata's code back as given, after asking; resolves true when it did. */
export async function resetKata(ws: Workspace, kata: Kata, ask: Ask): Promise<boolean> {
  const changes = changedFiles(ws.root, kata);
  if (changes.length === 0) {
    say(`Nothing to reset: the files of ${kata.dir} are as they were given.`);
    return false;
  }
  const names = changes.map((c) => shown(ws, c.path)).join(", ");
  if (!(await ask(`Put back the original ${names}? Your changes will be lost.`))) {
    say("Left as it was.");
    return false;
  }
  restore(changes);
  updateProgress(ws.stateFile, (p) => ({ ...p, done: p.done.filter((d) => d !== kata.dir) }));
  say(`Reset ${names} to the original.`);
  return true;
}

/** Shows the reference solution's files, once the kata passes (or with `force`); true when shown. */
export function showSolution(ws: Workspace, kata: Kata, force: boolean): boolean {
  if (!force && !loadProgress(ws.stateFile).done.includes(kata.dir)) {
    say(`The reference solution of ${kata.dir} opens once your files pass: it is there to compare with, after.`,
      `(To look anyway: npm run kata -- solution ${numberOf(kata)} --force)`);
    return false;
  }
  // solutions/ holds only the files a learner changes: all are worth comparing.
  for (const f of programFiles(kata.solutionDir)) {
    const path = join(kata.solutionDir, f);
    say(paint(["bold", "cyan"], `── ${shown(ws, path)} ──`), readFileSync(path, "utf8"));
  }
  return true;
}

/** Options of {@link checkAll}. */
export interface CheckAllOptions {
  /** Go on past the first kata that fails. */
  keepGoing: boolean;
  target: Target;
  /** Called as each kata is about to be judged, with the judging (to cancel it). */
  onJudging?: (judging: Judging) => void;
  /** Whether to go on (false once cancelled). */
  live?: () => boolean;
}

/**
 * Judges every kata in order, a line each, recording the learner's outcomes;
 * without `keepGoing`, stops at the first failure and shows its lesson. Resolves
 * with the number of katas that failed.
 */
export async function checkAll(ws: Workspace, options: CheckAllOptions): Promise<number> {
  let failed = 0;
  const live = options.live ?? (() => true);
  for (const kata of ws.katas) {
    const judging = judgeKata(kata, { target: options.target });
    options.onJudging?.(judging);
    const v: Verdict = await judging.verdict;
    if (!live() || v.cancelled) return failed;
    if (options.target === "learner") updateProgress(ws.stateFile, (p) => recordOutcome(p, kata.dir, v.passed));
    say(formatShortVerdict(v));
    if (v.passed) continue;
    failed++;
    if (!options.keepGoing) {
      say("", formatVerdict(v, ws));
      break;
    }
  }
  if (options.target === "learner") say("", progressBar(loadProgress(ws.stateFile), ws.katas));
  return failed;
}
