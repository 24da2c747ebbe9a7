// The commands for scripts and one-off use: list, run, hint, verify, reset,
// solution, timeline. Each prints for the learner and returns an exit code.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type Kata, programFiles } from "../katas.ts";
import {
  formatHint,
  formatList,
  formatRuns,
  formatShortVerdict,
  formatVerdict,
  paint,
  progressBar,
  say,
} from "./_print.ts";
import { changedFiles, restore } from "./_reset.ts";
import { currentKata, loadProgress, recordOutcome, updateProgress } from "./_state.ts";
import { judgeKata, type Verdict } from "./_verdict.ts";
import { shown, type Workspace } from "./_workspace.ts";

/** Whose files the tests run against. */
export type Target = "learner" | "solution";

function number(k: Kata): string {
  return String(k.number).padStart(2, "0");
}

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
  say("", options.withHint ? formatHint(kata) : paint("dim", `Stuck? npm run kata -- hint ${number(kata)}`));
  return 1;
}

/** `hint <kata>`. */
export function hint(kata: Kata): number {
  say(formatHint(kata));
  return 0;
}

/** `verify`: every kata in order, stopping at the first that fails unless `keepGoing`. */
export async function verify(ws: Workspace, options: { keepGoing: boolean; target: Target }): Promise<number> {
  let failed = 0;
  for (const kata of ws.katas) {
    const v = await judgeKata(kata, { target: options.target }).verdict;
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
  return failed === 0 ? 0 : 1;
}

/** `reset <kata>`: the kata's code back to the stub, after asking (or with `yes`). */
export async function reset(ws: Workspace, kata: Kata, yes: boolean): Promise<number> {
  const changes = changedFiles(ws.root, kata);
  if (changes.length === 0) {
    say(`Nothing to reset: the files of ${kata.dir} are as they were given.`);
    return 0;
  }
  const names = changes.map((c) => shown(ws, c.path)).join(", ");
  if (!yes) {
    const answer = await ask(`Put back the original ${names}? Your changes will be lost. [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      say("Left as it was.");
      return 1;
    }
  }
  restore(changes);
  updateProgress(ws.stateFile, (p) => ({ ...p, done: p.done.filter((d) => d !== kata.dir) }));
  say(`Reset ${names} to the original.`);
  return 0;
}

/** `solution <kata>`: the reference solution's files, once the kata passes (or with `force`). */
export function solution(ws: Workspace, kata: Kata, force: boolean): number {
  if (!force && !loadProgress(ws.stateFile).done.includes(kata.dir)) {
    say(`The solution of ${kata.dir} opens once your files pass: npm run kata -- run ${number(kata)}`,
      `(To look anyway: npm run kata -- solution ${number(kata)} --force)`);
    return 1;
  }
  const read = (dir: string, f: string) => existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "";
  const files = programFiles(kata.solutionDir);
  // A file given whole (like task.ts) is the same in both: only the others are worth comparing.
  const same = files.filter((f) => read(kata.solutionDir, f) === read(kata.learnerDir, f));
  for (const f of files.filter((f) => !same.includes(f) || same.length === files.length)) {
    const path = join(kata.solutionDir, f);
    say(paint(["bold", "cyan"], `── ${shown(ws, path)} ──`), read(kata.solutionDir, f));
  }
  if (same.length > 0 && same.length < files.length) say(paint("dim", `(${same.join(", ")}: the same as yours)`));
  return 0;
}

/** `timeline <kata>`: runs every test and charts each run of the program. */
export async function timeline(ws: Workspace, kata: Kata, target: Target): Promise<number> {
  const whose = target === "solution" ? "the reference solution" : "your files";
  say(paint("dim", `Running every test of ${kata.dir} against ${whose}…`), "");
  const v = await judgeKata(kata, { target, stopAtFirstFailure: false }).verdict;
  say(formatRuns(v), "", formatShortVerdict(v));
  return v.passed ? 0 : 1;
}

/** Asks a question on the terminal (or reads the answer from piped stdin); "" if none comes. */
function ask(question: string): Promise<string> {
  process.stdout.write(question);
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve) => {
    lines.once("line", (line) => {
      resolve(line); // first: close() emits "close" at once
      lines.close();
    });
    lines.once("close", () => resolve(""));
  });
}
