// The commands for scripts and one-off use: list, run, hint, verify, reset,
// solution, timeline. Each prints for the learner and returns an exit code;
// what watch mode's keys also do is in _actions.ts.
import { writeFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { createInterface } from "node:readline";
import type { Kata } from "../katas.ts";
import { chromeTrace } from "../trace.ts";
import { checkAll, numberOf, resetKata, showSolution, type Target } from "./_actions.ts";
import { isYes } from "./_keys.ts";
import {
  command,
  formatHint,
  formatList,
  formatRuns,
  formatShortVerdict,
  formatVerdict,
  type ListFilter,
  paint,
  progressBar,
  say,
} from "./_print.ts";
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
  if (target === "learner" && v.passed) say("", progressBar(loadProgress(ws.stateFile), ws.katas));
  return v;
}

/** `list`: every kata (or those the filter lets through) with its state and a progress bar. */
export function list(ws: Workspace, filter: ListFilter = {}): number {
  const progress = loadProgress(ws.stateFile);
  say(formatList(ws, progress, currentKata(progress, ws.katas), filter));
  return 0;
}

/** `run <kata>`: the kata's tests once; 0 when they pass. On failure, the hint or where to find it. */
export async function run(ws: Workspace, kata: Kata, target: Target, options: { withHint: boolean }): Promise<number> {
  if (options.withHint) say(paint("dim", `The task is in katas/${kata.dir}/README.md.`));
  const v = await judgeAndShow(ws, kata, target);
  if (v.passed || target === "solution") return v.passed ? 0 : 1;
  say("", options.withHint ? formatHint(kata) : paint("dim", `Stuck? ${command(`hint ${numberOf(kata)}`)}`));
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

/** `reset <kata>`: the kata's files back to the stub, after asking (or with `yes`). */
export async function reset(ws: Workspace, kata: Kata, yes: boolean): Promise<number> {
  return (await resetKata(ws, kata, yes ? () => Promise.resolve(true) : askLine)) ? 0 : 1;
}

/** `solution <kata>`: the reference solution's files, once the kata passes (or with `force`). */
export function solution(ws: Workspace, kata: Kata, force: boolean): number {
  return showSolution(ws, kata, force) ? 0 : 1;
}

/** Options of {@link timeline}. */
export interface TimelineCommandOptions {
  target: Target;
  /** Also write the runs as a Chrome trace (Trace Event JSON) to this file. */
  tracePath?: string;
}

/** `timeline <kata>`: runs every test and charts each run of the program; with a path, writes a Chrome trace too. */
export async function timeline(ws: Workspace, kata: Kata, options: TimelineCommandOptions): Promise<number> {
  const whose = options.target === "solution" ? "the reference solution" : "your files";
  say(paint("dim", `Running every test of ${kata.dir} against ${whose}…`), "");
  const v = await judgeKata(kata, { target: options.target, stopAtFirstFailure: false }).verdict;
  say(formatRuns(v), "", formatShortVerdict(v));
  if (options.tracePath) {
    // `npm run` starts in the project's root; a path is meant from where the learner typed it.
    const path = resolvePath(process.env.INIT_CWD ?? process.cwd(), options.tracePath);
    const trace = chromeTrace(v.runs, { kata: kata.dir, target: options.target, verdict: v.passed ? "passed" : "not yet" });
    writeFileSync(path, JSON.stringify(trace));
    const processes = new Set(trace.traceEvents.filter((e) => e.name === "thread_name").map((e) => `${e.pid}:${e.tid}`)).size;
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    say("", `Wrote ${count(v.runs.length, "run", "runs")} (${count(processes, "process", "processes")}) as a Chrome trace to ${path}.`,
      paint("dim", "Open it at https://ui.perfetto.dev (Open trace file) or in chrome://tracing (Load)."));
  }
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
