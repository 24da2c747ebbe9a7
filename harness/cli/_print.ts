// Output for the learner. Colour is util.styleText's own decision for the stream
// written to: a terminal, FORCE_COLOR, NO_COLOR, NODE_DISABLE_COLORS, TERM=dumb.
import { styleText } from "node:util";
import type { Kata } from "../katas.ts";
import { chartedProcesses, drawTimeline, type RunTrace } from "../timeline.ts";
import type { TestReport } from "../kata.ts";
import type { FailureKind } from "../timing.ts";
import { type Progress, stateOf } from "./_state.ts";
import { filesToEdit, type Verdict } from "./_verdict.ts";
import { shown, type Workspace } from "./_workspace.ts";

type Style = Parameters<typeof styleText>[0];
type Stream = NodeJS.WriteStream;

const BAR_WIDTH = 30;

/** How a learner types a command: `npx kata <args>`. */
export function command(args: string): string {
  return `npx kata ${args}`;
}

/**
 * `text` in `style`, where styleText colours `stream`. Styles are applied one
 * at a time: on Node 20, styleText checks the stream only for a single style.
 */
export function paint(style: Style, text: string, stream: Stream = process.stdout): string {
  const styles = Array.isArray(style) ? style : [style];
  return styles.reduceRight((t, s) => styleText(s, t, { stream }), text);
}

/** Whether output to `stream` is coloured (styleText's verdict). */
export function useColor(stream: Stream = process.stdout): boolean {
  return paint("red", "x", stream) !== "x";
}

/** Prints lines to stdout. */
export function say(...lines: string[]): void {
  process.stdout.write(lines.join("\n") + "\n");
}

/** Prints a notice to stderr, dimmed: news about the setup, not about the kata. */
export function notice(line: string): void {
  process.stderr.write(`${paint("dim", line, process.stderr)}\n`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, by = "  "): string {
  return text.split("\n").map((l) => `${by}${l}`).join("\n");
}

/** The chart of one run: as wide as the terminal, or at its natural width into a pipe or file. */
export function formatTimeline(trace: RunTrace): string {
  return drawTimeline(trace, { width: process.stdout.isTTY ? process.stdout.columns : undefined, color: useColor() });
}

/** The verdict's first line: ✓ passed or ✗ not yet, the kata, how many checks, how long. */
function headLine(v: Verdict): string {
  const head = `${v.kata.dir}: ${v.kata.title}`;
  if (v.passed) {
    return `${paint(["bold", "green"], "✓ passed")}  ${head}  (all ${v.passedTests} checks, ${seconds(v.durationMs)})`;
  }
  const count = v.testsPassed
    ? `all ${v.passedTests} checks pass`
    : `${v.passedTests} check${v.passedTests === 1 ? "" : "s"} passed`;
  return `${paint(["bold", "red"], "✗ not yet")}  ${head}  (${count}, ${seconds(v.durationMs)})`;
}

/** Failures whose program may well have died of a type error. */
const STARTS_OR_CRASHES = new Set<FailureKind | undefined>(["start", "crash"]);

/** Options of {@link formatVerdict}. */
export interface VerdictOptions {
  /** Name watch mode's keys rather than commands. */
  inWatchMode?: boolean;
}

/**
 * The verdict as a learner reads it: what passed, or the headline (a missing
 * file, a type error, the first failing check with its lesson) and the file to edit.
 */
export function formatVerdict(v: Verdict, ws: Workspace, options: VerdictOptions = {}): string {
  const lines = [headLine(v)];
  const bringBack = options.inWatchMode
    ? "Press x to bring it back"
    : `${command(`reset ${String(v.kata.number).padStart(2, "0")}`)} brings it back`;
  const missingPrograms = v.missing.filter((f) => f.endsWith(".ts"));
  const missingOthers = v.missing.filter((f) => !f.endsWith(".ts"));
  if (missingPrograms.length > 0) {
    const names = missingPrograms.map((f) => shown(ws, f)).join(", ");
    lines.push("", `${paint("bold", `Missing: ${names}.`)} It comes with the kata, and the tests cannot run without it.`,
      `${bringBack} (any file of yours it replaces is kept in a backup).`);
  }
  const types = v.typeErrors ?? [];
  const failure = v.firstFailure;
  const typeHeadline = types.length > 0 && (v.testsPassed || STARTS_OR_CRASHES.has(failure?.error?.kind) || (!failure && v.crash));
  if (typeHeadline) {
    const why = v.testsPassed
      ? "The tests pass, but tsc finds a type error in your files:"
      : "tsc finds a type error in your files, which may be why the program failed:";
    lines.push("", paint("bold", why), indent(types.join("\n")));
    if (v.testsPassed) {
      lines.push(paint("dim", "Node runs .ts files without checking their types: a kata is done once tsc agrees too."));
    }
  }
  if (failure && v.interrupted && failure.error?.message === v.interrupted.message) {
    // The lesson names the test it cut short.
    lines.push("", paint("bold", "The tests were cut short:"), indent(v.interrupted.message));
  } else if (failure) {
    lines.push("", `${paint("bold", "Failing check:")} ${failure.test}`);
    lines.push(indent(failure.error?.message ?? "(no message)"));
    const end = v.failedRun && howItEnded(v.failedRun, failure);
    if (end) lines.push("", indent(end));
    if (v.failedRun && (failure.error?.kind === "timing" || chartedProcesses(v.failedRun.tree).length > 1)) {
      lines.push("", paint("bold", "What the harness saw in that run:"), formatTimeline(v.failedRun));
    }
  } else if (v.crash) {
    lines.push("", paint("bold", "The tests could not run:"), indent(v.crash));
  }
  if (types.length > 0 && !typeHeadline) {
    lines.push("", paint("bold", "Also, tsc finds a type error in your files:"), indent(types.join("\n")));
  }
  if (missingOthers.length > 0) {
    const names = missingOthers.map((f) => shown(ws, f)).join(", ");
    lines.push("", `${names} is missing. ${bringBack}.`);
  }
  if (!v.passed) {
    const edit = filesToEdit(v.kata).map((f) => shown(ws, f)).join(", ");
    lines.push("", `${paint("bold", "Edit:")} ${edit}`);
  }
  return lines.join("\n");
}

/** Failures whose lesson already says how the run ended. */
const ABOUT_THE_END = new Set<FailureKind | undefined>(["start", "crash", "deadline"]);

/**
 * How a failed run ended, when that is news to the failing check's lesson: a
 * crash or a deadline (which a lesson already tells for the runs its test used),
 * a flood.
 */
function howItEnded(run: RunTrace, failure: TestReport): string | undefined {
  const told = ABOUT_THE_END.has(failure.error?.kind) || (failure.used ?? []).includes(run.runId);
  const name = run.file.slice(run.file.lastIndexOf("/") + 1);
  const ending = told
    ? undefined
    : run.expired
    ? undefined
    : run.timedOut
    ? `${name} was still running at its ${run.deadlineMs} ms deadline, so the harness killed it`
    : run.signal
    ? `${name} was killed by ${run.signal}`
    : run.exitCode !== 0
    ? `${name} exited with code ${run.exitCode}`
    : undefined;
  const flood = run.outputTruncated ? "it printed more than the harness keeps, and the rest was dropped" : undefined;
  const notes = [ending, flood].filter((n) => n !== undefined);
  if (notes.length === 0) return undefined;
  const tail = ending && run.stderrTail.length > 0 ? `\nThe end of its stderr:\n${indent(run.stderrTail.join("\n"))}` : "";
  return `${paint("bold", "Also, in that run:")} ${notes.join("; ")}.${tail}`;
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

/** Which katas a list shows. */
export interface ListFilter {
  /** Only those done, or only those not done. */
  state?: "done" | "todo";
  /** Only those whose folder or title contains this word (any case). */
  word?: string;
}

/** Whether `kata` passes the filter. */
export function matchesFilter(kata: Kata, progress: Progress, filter: ListFilter): boolean {
  const done = progress.done.includes(kata.dir);
  if (filter.state === "done" && !done) return false;
  if (filter.state === "todo" && done) return false;
  const word = filter.word?.trim().toLowerCase();
  return !word || `${kata.dir} ${kata.title}`.toLowerCase().includes(word);
}

/** Every kata (that passes the filter) with its state, the current one marked, then the progress bar. */
export function formatList(ws: Workspace, progress: Progress, current?: Kata, filter: ListFilter = {}): string {
  const shownKatas = ws.katas.filter((k) => matchesFilter(k, progress, filter));
  const lines = shownKatas.map((k) => {
    const state = stateOf(progress, k);
    const word = state === "done"
      ? paint("green", "done       ")
      : state === "in progress"
      ? paint("yellow", "in progress")
      : "not started";
    const mark = k === current ? paint("bold", "▶") : " ";
    return `${mark} ${String(k.number).padStart(2, "0")}  ${word}  ${k.dir.padEnd(24)} ${k.title}`;
  });
  if (shownKatas.length === 0) lines.push(`No kata ${describeFilter(filter)}.`);
  else if (shownKatas.length < ws.katas.length) lines.push(paint("dim", `(${shownKatas.length} of ${ws.katas.length}: ${describeFilter(filter)})`));
  return [...lines, "", progressBar(progress, ws.katas)].join("\n");
}

function describeFilter(filter: ListFilter): string {
  const parts = [filter.state === "done" ? "done" : filter.state === "todo" ? "still to do" : "", filter.word ? `matching "${filter.word}"` : ""];
  return parts.filter(Boolean).join(" and ") || "in the list";
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
  const why = v.missing.some((f) => f.endsWith(".ts"))
    ? "a file of the kata is missing"
    : v.firstFailure
    ? `fails: ${v.firstFailure.test}`
    : v.testsPassed
    ? "the tests pass, but tsc finds a type error"
    : "the tests could not run";
  return `${paint("red", "✗")} ${v.kata.dir}  ${why}`;
}
