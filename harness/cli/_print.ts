// Output for the learner: colours through util.styleText, only on a terminal and
// never when NO_COLOR is set.
import { styleText } from "node:util";
import type { Kata } from "../katas.ts";
import { chartedProcesses, drawTimeline, type RunTrace } from "../timeline.ts";
import type { FailureKind } from "../timing.ts";
import { type Progress, stateOf } from "./_state.ts";
import { filesToEdit, type Verdict } from "./_verdict.ts";
import { shown, type Workspace } from "./_workspace.ts";

type Style = Parameters<typeof styleText>[0];

const BAR_WIDTH = 30;
const DEFAULT_COLUMNS = 100;

/** Whether to colour output: a TTY, and neither NO_COLOR nor NODE_DISABLE_COLORS set. */
export function useColor(stream: { isTTY?: boolean } = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && !process.env.NODE_DISABLE_COLORS;
}

/** `text` in `style` where colour is wanted, plain otherwise. */
export function paint(style: Style, text: string): string {
  return useColor() ? styleText(style, text) : text;
}

/** Prints lines to stdout. */
export function say(...lines: string[]): void {
  process.stdout.write(lines.join("\n") + "\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, by = "  "): string {
  return text.split("\n").map((l) => `${by}${l}`).join("\n");
}

/** The chart of one run, as wide as the terminal. */
export function formatTimeline(trace: RunTrace): string {
  return drawTimeline(trace, { width: process.stdout.columns || DEFAULT_COLUMNS, color: useColor() });
}

/** The verdict as a learner reads it: what passed, or the first lesson and the file to edit. */
export function formatVerdict(v: Verdict, ws: Workspace): string {
  const head = `${v.kata.dir}: ${v.kata.title}`;
  if (v.passed) {
    return `${paint(["bold", "green"], "✓ passed")}  ${head}  (all ${v.passedTests} checks, ${seconds(v.durationMs)})`;
  }
  const count = `${v.passedTests} check${v.passedTests === 1 ? "" : "s"} passed`;
  const lines = [`${paint(["bold", "red"], "✗ not yet")}  ${head}  (${count}, ${seconds(v.durationMs)})`];
  const failure = v.firstFailure;
  if (failure) {
    lines.push("", `${paint("bold", "Failing check:")} ${failure.test}`);
    lines.push(indent(failure.error?.message ?? "(no message)"));
    const end = v.failedRun && howItEnded(v.failedRun, failure.error?.kind);
    if (end) lines.push("", indent(end));
    if (v.failedRun && (failure.error?.kind === "timing" || chartedProcesses(v.failedRun.tree).length > 1)) {
      lines.push("", paint("bold", "What the harness saw in that run:"), formatTimeline(v.failedRun));
    }
  } else if (v.crash) {
    lines.push("", paint("bold", "The tests could not run:"), indent(v.crash));
  }
  const edit = filesToEdit(v.kata).map((f) => shown(ws, f)).join(", ");
  lines.push("", `${paint("bold", "Edit:")} ${edit}`);
  return lines.join("\n");
}

/** Failures whose lesson already says how the run ended. */
const ABOUT_THE_END = new Set<string | undefined>(["start", "crash", "deadline"]);

/** How a failed run ended, when that is news to the failing check's lesson: a crash, a deadline, a flood. */
function howItEnded(run: RunTrace, kind: FailureKind | undefined): string | undefined {
  if (ABOUT_THE_END.has(kind)) return undefined;
  const name = run.file.slice(run.file.lastIndexOf("/") + 1);
  const notes: string[] = [];
  if (run.timedOut) notes.push(`${name} was still running at its ${run.deadlineMs} ms deadline, so the harness killed it.`);
  else if (run.signal) notes.push(`${name} was killed by ${run.signal}.`);
  else if (run.exitCode !== 0) notes.push(`${name} exited with code ${run.exitCode}.`);
  if (run.outputTruncated) notes.push("It printed more than the harness keeps; the rest was dropped.");
  if (notes.length === 0) return undefined;
  const tail = run.stderrTail.length > 0 ? `\nThe end of its stderr:\n${indent(run.stderrTail.join("\n"))}` : "";
  return `${paint("bold", "Also, in that run:")} ${notes.join(" ")}${tail}`;
}

/** A kata's hint, framed. */
export function formatHint(k: Kata): string {
  const hint = k.hint.trim() || "This kata has no hint yet: its README says what to do.";
  return `${paint(["bold", "yellow"], `Hint for ${k.dir}:`)}\n${indent(hint)}`;
}

/** `[#####-----] 3/7 katas done` */
export function progressBar(progress: Progress, katas: Kata[]): string {
  const done = katas.filter((k) => progress.done.includes(k.dir)).length;
  const filled = Math.round((done / Math.max(katas.length, 1)) * BAR_WIDTH);
  const bar = paint("green", "#".repeat(filled)) + "-".repeat(BAR_WIDTH - filled);
  return `[${bar}] ${done}/${katas.length} katas done`;
}

/** Every kata with its state, the current one marked, then the progress bar. */
export function formatList(ws: Workspace, progress: Progress, current?: Kata): string {
  const lines = ws.katas.map((k) => {
    const state = stateOf(progress, k);
    const word = state === "done"
      ? paint("green", "done       ")
      : state === "in progress"
      ? paint("yellow", "in progress")
      : "not started";
    const mark = k === current ? paint("bold", "▶") : " ";
    return `${mark} ${String(k.number).padStart(2, "0")}  ${word}  ${k.dir.padEnd(24)} ${k.title}`;
  });
  return [...lines, "", progressBar(progress, ws.katas)].join("\n");
}

/** Every run of a verdict, charted, each with the tests that looked at it. */
export function formatRuns(v: Verdict): string {
  if (v.runs.length === 0) return "The tests ran no program to the end, so there is nothing to chart.";
  return v.runs.map(({ trace, tests }, i) => {
    const used = tests.length === 0
      ? "judged by no finished test"
      : tests.length === v.ranTests && tests.length > 1
      ? `judged by all ${tests.length} tests`
      : `judged by: ${tests.join("; ")}`;
    return `${paint("bold", `Run ${i + 1} of ${v.runs.length}`)}  ${paint("dim", used)}\n${formatTimeline(trace)}`;
  }).join("\n\n");
}

/** One line per kata for verify: a mark, the kata and how it went. */
export function formatShortVerdict(v: Verdict): string {
  if (v.passed) return `${paint("green", "✓")} ${v.kata.dir}  (${v.passedTests} checks, ${seconds(v.durationMs)})`;
  const why = v.firstFailure ? `fails: ${v.firstFailure.test}` : "the tests could not run";
  return `${paint("red", "✗")} ${v.kata.dir}  ${why}`;
}
