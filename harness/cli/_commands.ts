// The commands for scripts and one-off use: list, run, hint, verify, reset,
// solution, timeline. Each prints for the learner and returns an exit code;
// what watch mode's keys also do is in _actions.ts.
import { createInterface } from "node:readline";
import type { Kata } from "../katas.ts";
import { checkAll, numberOf, resetKata, showSolution, type Target } from "./_actions.ts";
import { isYes } from "./_keys.ts";
import { formatHint, formatList, formatRuns, formatShortVerdict, formatVerdict, paint, say } from "./_print.ts";
import { currentKata, loadProgress, recordOutcome, updateProgress } from "./_state.ts";
import { judgeKata, type Verdict } from "./_verdict.ts";
import type { Workspace } from "./_workspace.ts";

/** Judges a kata, printing each passing check as it comes and then the verdict; records the outcome. */
export async function judgeAndShow(ws: Workspace, kata: Kata, target: Target = "learner"): Promise<Verdict> {
  const whose = target === "solution" ? "the reference solution" : "your files";
  say(paint("dim", `Running the tests of ${kata.dir} against ${whose}…`));
  const judging = judgeKata(kata, {
    target,
    onReport: (r) => r.ok && say(paint("dim", `  ✓ ${r.test}`)),
  });
  const v = await judging.verdict;
  if (target === "learner" && !v.cancelled) updateProgress(ws.stateFile, (p) => recordOutcome(p, kata.dir, v.passed));
  say("", formatVerdict(v, ws));
  return v;
}

/** `list`: every kata with its state and a progress bar. */
export function list(ws: Workspace): number {
  const progress = loadProgress(ws.stateFile);
  say(formatList(ws, progress, currentKata(progress, ws.katas)));
  return 0;
}

/** `run <kata>`: the kata's tests once; 0 when they pass. On failure, the hint or where to find it. */
export async function run(ws: Workspace, kata: Kata, target: Target, options: { withHint: boolean }): Promise<number> {
  const v = await judgeAndShow(ws, kata, target);
  if (v.passed || target === "solution") return v.passed ? 0 : 1;
  say("", options.withHint ? formatHint(kata) : paint("dim", `Stuck? npm run kata -- hint ${numberOf(kata)}`));
  return 1;
}

/** `hint <kata>`. */
export function hint(kata: Kata): number {
  say(formatHint(kata));
  return 0;
}

/** `verify`: every kata in order, stopping at the first that fails unless `keepGoing`. */
export async function verify(ws: Workspace, options: { keepGoing: boolean; target: Target }): Promise<number> {
  return (await checkAll(ws, options)) === 0 ? 0 : 1;
}

/** `reset <kata>`: the kata's code back to the stub, after asking (or with `yes`). */
export async function reset(ws: Workspace, kata: Kata, yes: boolean): Promise<number> {
  return (await resetKata(ws, kata, yes ? () => Promise.resolve(true) : askLine)) ? 0 : 1;
}

/** `solution <kata>`: the reference solution's files, once the kata passes (or with `force`). */
export function solution(ws: Workspace, kata: Kata, force: boolean): number {
  return showSolution(ws, kata, force) ? 0 : 1;
}

/** `timeline <kata>`: runs every test and charts each run of the program. */
export async function timeline(ws: Workspace, kata: Kata, target: Target): Promise<number> {
  const whose = target === "solution" ? "the reference solution" : "your files";
  say(paint("dim", `Running every test of ${kata.dir} against ${whose}…`), "");
  const v = await judgeKata(kata, { target, stopAtFirstFailure: false }).verdict;
  say(formatRuns(v), "", formatShortVerdict(v));
  return v.passed ? 0 : 1;
}

/** Asks a yes-or-no question on the terminal (or reads the answer from piped stdin); no answer is no. */
function askLine(question: string): Promise<boolean> {
  process.stdout.write(`${question} [y/N] `);
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve) => {
    lines.once("line", (line) => {
      resolve(isYes(line)); // first: close() emits "close" at once
      lines.close();
    });
    lines.once("close", () => resolve(false));
  });
}
