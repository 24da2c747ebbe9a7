// What the learner can do, written once for both ways of asking: a command
// (`npx kata reset 02`) and a key in watch mode (`x`). Each action prints
// through `out` (stdout for a command, the panel in watch mode); a question
// goes through `ask`, which a command answers from the terminal's line and
// watch mode from the next key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Kata, programFiles } from "../katas.ts";
import { command, formatShortVerdict, formatVerdict, paint, progressBar, say } from "./_print.ts";
import { BACKUP_DIR_NAME, changedFiles, restore } from "./_reset.ts";
import { loadProgress, recordOutcome, updateProgress } from "./_state.ts";
import { type Judging, judgeKata, type Verdict } from "./_verdict.ts";
import { shown, type Workspace } from "./_workspace.ts";

/** Whose files the tests run against. */
export type Target = "learner" | "solution";

/** Asks a yes-or-no question; resolves true for yes. */
export type Ask = (question: string) => Promise<boolean>;

/** Where an action's lines go. */
export type Out = (...lines: string[]) => void;

/** The kata's number as a learner types it: "02". */
export function numberOf(k: Kata): string {
  return String(k.number).padStart(2, "0");
}

/**
 * Puts the kata's files back as given (see _git.ts for what that means after
 * commits), after asking; each file it replaces is first copied into
 * .kata-backups/. Resolves true when it did.
 */
export async function resetKata(ws: Workspace, kata: Kata, ask: Ask, out: Out = say): Promise<boolean> {
  const changes = changedFiles(ws.root, kata);
  if (changes.length === 0) {
    out(`Nothing to reset: the files of katas/${kata.dir}/ are as given.`);
    return false;
  }
  const changed = changes.filter((c) => !c.missing).map((c) => shown(ws, c.path));
  const missing = changes.filter((c) => c.missing).map((c) => shown(ws, c.path));
  const what = [
    changed.length > 0 ? `Put back ${changed.join(", ")} as given` : "",
    missing.length > 0 ? `${changed.length > 0 ? "and bring" : "Bring"} back the missing ${missing.join(", ")}` : "",
  ].filter(Boolean).join(", ");
  const kept = changed.length > 0 ? ` A copy of yours is kept in ${BACKUP_DIR_NAME}/.` : "";
  if (!(await ask(`${what}?${kept}`))) {
    out("Left as it was.");
    return false;
  }
  const backup = restore(ws.root, kata, changes);
  if (changed.length > 0) updateProgress(ws.stateFile, (p) => ({ ...p, done: p.done.filter((d) => d !== kata.dir) }));
  const commits = [...new Set(changes.map((c) => c.commit))].join(", ");
  out(`Reset ${[...changed, ...missing].join(", ")} to the kata's stub (as of commit ${commits}).`);
  if (backup) out(`Your version is kept in ${shown(ws, backup)}/.`);
  return true;
}

/** Shows the reference solution's files, once the kata passes (or with `force`); true when shown. */
export function showSolution(ws: Workspace, kata: Kata, force: boolean, out: Out = say): boolean {
  if (!force && !loadProgress(ws.stateFile).done.includes(kata.dir)) {
    out(`The reference solution of ${kata.dir} opens once your files pass: it is there to compare with, after.`,
      `(To look anyway: ${command(`solution ${numberOf(kata)} --force`)})`);
    return false;
  }
  // solutions/ holds only the files a learner changes: all are worth comparing.
  for (const f of programFiles(kata.solutionDir)) {
    const path = join(kata.solutionDir, f);
    out(paint(["bold", "cyan"], `── ${shown(ws, path)} ──`), readFileSync(path, "utf8"));
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
  /** Where the lines go; stdout by default. */
  out?: Out;
}

/**
 * Judges every kata in order, a line each, recording the learner's outcomes;
 * without `keepGoing`, stops at the first failure and shows its lesson. Resolves
 * with the number of katas that failed.
 */
export async function checkAll(ws: Workspace, options: CheckAllOptions): Promise<number> {
  let failed = 0;
  const live = options.live ?? (() => true);
  const out = options.out ?? say;
  for (const kata of ws.katas) {
    const judging = judgeKata(kata, { target: options.target });
    options.onJudging?.(judging);
    const v: Verdict = await judging.verdict;
    if (!live() || v.cancelled) return failed;
    if (options.target === "learner") updateProgress(ws.stateFile, (p) => recordOutcome(p, kata.dir, v.passed));
    out(formatShortVerdict(v));
    if (v.passed) continue;
    failed++;
    if (!options.keepGoing) {
      out("", formatVerdict(v, ws));
      break;
    }
  }
  if (options.target === "learner") out("", progressBar(loadProgress(ws.stateFile), ws.katas));
  return failed;
}
