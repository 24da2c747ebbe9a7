// Checks on a finished run as a whole: did it end, did it end well, did it
// leave anything behind, and lookups into the observed tree.
import { describeProcess, type ProcessSnapshot } from "./cleanup.ts";
import type { OutputLine, RunResult } from "./run.ts";
import { type CheckOptions, fail } from "./timing.ts";
import type { ProcessRecord } from "./tree.ts";

const STDERR_TAIL_LINES = 8;
/** Node's exit code when the event loop empties while a top-level await is pending. */
const UNSETTLED_AWAIT_CODE = 13;
const START_FAILURE = /SyntaxError|TransformError|ERR_MODULE_NOT_FOUND|Cannot find module|ERR_UNSUPPORTED/;

/** How the run ended, in words: "exited with code 1", "was killed by SIGTERM", ... */
export function describeEnd(r: RunResult): string {
  if (r.timedOut) return `was still running at its ${r.deadlineMs} ms deadline`;
  if (r.signal) return `was killed by ${r.signal}`;
  if (r.exitCode === UNSETTLED_AWAIT_CODE) {
    return `exited with code ${UNSETTLED_AWAIT_CODE}, Node's code for a top-level await that never ` +
      "settled: the program waited on a promise that could no longer resolve";
  }
  return `exited with code ${r.exitCode}`;
}

function listProcesses(ps: ProcessSnapshot[]): string {
  return ps.map((p) => `  ${describeProcess(p)}`).join("\n");
}

const NOISE = [/^\s+at /, /^node:internal\//, /triggerUncaughtException\(/, /^Node\.js v\d/];

/** Stderr without stack frames into Node's internals and loaders: what a learner needs to read. */
export function readableStderr(text: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "" || NOISE.some((re) => re.test(line))) continue;
    // The caret under Node's own "triggerUncaughtException(" line points at nothing of yours.
    if (line.trim() === "^" && /triggerUncaughtException\(/.test(lines[i - 1] ?? "")) continue;
    out.push(line);
  }
  return out;
}

/** The last readable lines of stderr, indented, for messages. */
export function stderrTail(r: RunResult): string {
  return readableStderr(r.stderr).slice(-STDERR_TAIL_LINES).map((l) => `  ${l}`).join("\n");
}

/**
 * Passes when the program ended by itself, with exit code 0, before its deadline.
 * A program that could not start (a syntax error) is told so first.
 */
export function assertFinished(r: RunResult, options: CheckOptions = {}): void {
  const name = r.file.slice(r.file.lastIndexOf("/") + 1);
  if (r.timedOut) {
    fail(
      `${name} was still running at its ${r.deadlineMs} ms deadline, so the harness killed it. ` +
        `Alive at the deadline:\n${listProcesses(r.aliveAtDeadline)}\n` +
        `Does some process wait for something that never comes, or never exit?`,
      { ...options, kind: "deadline" },
    );
  }
  // A program that could not load printed nothing first; a later SyntaxError
  // (JSON.parse, say) is a runtime failure, reported below with its stderr.
  const printed = r.lines.some((l) => l.stream === "stdout");
  if (r.exitCode !== 0 && !printed && START_FAILURE.test(r.stderr)) {
    fail(`${name} could not start: Node could not load it.\n${stderrTail(r)}`, { ...options, kind: "start" });
  }
  if (r.exitCode !== 0) {
    const tail = stderrTail(r);
    fail(
      `${name} ${describeEnd(r)}, expected code 0.` +
        (tail ? ` The end of its stderr:\n${tail}` : " It printed nothing to stderr."),
      { ...options, kind: "crash" },
    );
  }
}

/** Passes when nothing the program started outlived it by more than the grace period. */
export function assertNothingLeft(r: RunResult, options: CheckOptions = {}): void {
  if (r.survivors.length > 0) {
    fail(`The harness could not kill these processes of the run:\n${listProcesses(r.survivors)}`, { kind: "leftovers" });
  }
  if (r.leftovers.length === 0) return;
  fail(
    `After the program exited, ${r.leftovers.length} process(es) it started were still there ` +
      `(the harness killed them):\n${listProcesses(r.leftovers)}`,
    { kind: "leftovers", hint: options.hint ?? "Did the program exit without waiting for its children to end?" },
  );
}

/** Processes whose first observed parent is `pid`, in order of appearance. */
export function childrenOf(r: RunResult, pid: number): ProcessRecord[] {
  return r.tree.filter((p) => p.ppid === pid && p.pid !== pid);
}

/** Observed processes (the program excluded) whose arguments include `arg` exactly. */
export function processesWithArg(r: RunResult, arg: string): ProcessRecord[] {
  return r.descendants.filter((p) => p.argv.includes(arg));
}

/** The first stdout line that matches, or undefined. */
export function findLine(r: RunResult, pattern: RegExp | string): OutputLine | undefined {
  return r.lines.find((l) =>
    l.stream === "stdout" && (typeof pattern === "string" ? l.text.includes(pattern) : pattern.test(l.text))
  );
}

/** Every stdout line's text. */
export function stdoutLines(r: RunResult): string[] {
  return r.lines.filter((l) => l.stream === "stdout").map((l) => l.text);
}

/** A short account of the tree for messages: one line a process. */
export function describeTree(r: RunResult): string {
  return r.tree.map((p) => {
    const end = p.endedAt === undefined ? "alive at the end" : `ended by ${Math.round(p.endedAt)} ms`;
    return `  ${describeProcess(p)}, parent ${p.ppid}, seen from ${Math.round(p.firstSeen)} ms, ${end}`;
  }).join("\n");
}
