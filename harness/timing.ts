// Structural timing checks: overlap, order and bounds of observed intervals.
// No tight windows: each check holds however slow the machine is, as long as the
// program is right, and fails by a wide margin when it is wrong.
import type { ProcessRecord } from "./tree.ts";

/** A span of time, in ms since the run started, with a name for messages. */
export interface Interval {
  label: string;
  start: number;
  end: number;
}

/**
 * What kind of failure a failed check is, for whoever shows it (the CLI charts
 * a timing failure) or judges it (the check rejects a mistake that is caught
 * only because it could not start):
 * - `timing`: intervals that should overlap, come in order, or last so long;
 * - `start`: the program could not be loaded (a syntax error, a missing file);
 * - `crash`: it ended with a non-zero code or by a signal;
 * - `deadline`: it was still running at its deadline (a hang, a deadlock);
 * - `leftovers`: processes it started outlived it;
 * - `check`: any other check of the tree, the output or the files.
 */
export type FailureKind = "timing" | "start" | "crash" | "deadline" | "leftovers" | "check";

/** A failure as data, as a test report carries it. */
export interface Failure {
  kind: FailureKind;
  /** The lesson: what was expected, what happened, the likely cause. */
  message: string;
  /** The intervals a timing failure was judged on, for a chart. */
  intervals?: Interval[];
}

/** Options shared by the checks: the concept to point at when they fail. */
export interface CheckOptions {
  /** A sentence that names the likely cause, appended to the message. */
  hint?: string;
  /** The kind of failure (default `check`; the timing checks say `timing`). */
  kind?: FailureKind;
  /** The intervals the check judged. */
  intervals?: Interval[];
}

/**
 * The span in which a process was seen alive: from the first sample that saw it
 * to the last sample that saw it alive (not a zombie). It was surely alive then.
 */
export function aliveInterval(p: ProcessRecord, label = `pid ${p.pid}`): Interval {
  return { label, start: p.firstSeen, end: Math.max(p.lastAlive ?? p.firstSeen, p.firstSeen) };
}

/**
 * A failed check of a kata: the message is the lesson. It carries no stack
 * trace, which would only point into the harness, and its continuation lines
 * are indented to sit under uvu's first line.
 */
export class KataCheckError extends Error {
  override name = "KataCheckError";
  /** The failure as data: its kind, its lesson and its numbers. */
  readonly failure: Failure;
  constructor(message: string, kind: FailureKind = "check", intervals?: Interval[]) {
    super(message.split("\n").join("\n    "));
    this.stack = `${this.name}: ${message.split("\n")[0]}`;
    this.failure = { kind, message, ...(intervals ? { intervals } : {}) };
  }
}

/** Throws a {@link KataCheckError} with `message` and the hint on a line of its own. */
export function fail(message: string, options: CheckOptions = {}): never {
  throw new KataCheckError(options.hint ? `${message}\n${options.hint}` : message, options.kind, options.intervals);
}

/** `options` with the timing kind and the intervals judged, for the timing checks' failures. */
function timing(options: CheckOptions, intervals: Interval[]): CheckOptions {
  return { ...options, kind: "timing", intervals };
}

/** A duration for a message: "123 ms". */
export function ms(t: number): string {
  return `${Math.round(t)} ms`;
}

/** Passes when some moment lies inside every interval: all were alive at once. */
export function assertOverlap(intervals: Interval[], options: CheckOptions = {}): void {
  if (intervals.length < 2) return;
  const latestStart = intervals.reduce((a, b) => (b.start > a.start ? b : a));
  const earliestEnd = intervals.reduce((a, b) => (b.end < a.end ? b : a));
  if (latestStart.start <= earliestEnd.end) return;
  fail(
    `Expected all ${intervals.length} (${labels(intervals)}) to be alive at the same time, ` +
      `but "${latestStart.label}" first appeared at ${ms(latestStart.start)}, ` +
      `after "${earliestEnd.label}" was last seen alive at ${ms(earliestEnd.end)}.`,
    timing(options, intervals),
  );
}

/** Passes when the intervals do not overlap and come in the given order. */
export function assertInOrder(intervals: Interval[], options: CheckOptions = {}): void {
  for (let i = 1; i < intervals.length; i++) {
    const before = intervals[i - 1];
    const after = intervals[i];
    if (after.start > before.end) continue;
    fail(
      `Expected "${after.label}" to start only after "${before.label}" had ended, ` +
        `but "${after.label}" was seen at ${ms(after.start)} while "${before.label}" ` +
        `was still alive at ${ms(before.end)}.`,
      timing(options, intervals),
    );
  }
}

/** Passes when `actual` ms is at least `bound` ms. */
export function assertAtLeast(
  what: string,
  actual: number,
  bound: number,
  options: CheckOptions = {},
): void {
  if (actual >= bound) return;
  fail(`Expected ${what} to be at least ${ms(bound)}, but it was ${ms(actual)}.`, timing(options, []));
}

/** Passes when `actual` ms is below `bound` ms. Keep bounds generous. */
export function assertBelow(
  what: string,
  actual: number,
  bound: number,
  options: CheckOptions = {},
): void {
  if (actual < bound) return;
  fail(`Expected ${what} to be under ${ms(bound)}, but it was ${ms(actual)}.`, timing(options, []));
}

function labels(intervals: Interval[]): string {
  return intervals.map((i) => i.label).join(", ");
}
