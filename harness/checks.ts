// Checks on a finished run as a whole: did it start, did it crash, did it end,
// did it end well, did it leave anything behind, and lookups into the observed tree.
import { basename } from "node:path";
import { type Crash, crashesIn, crashOfNoted, isV8Noise } from "./_crash.ts";
import { describeProcess, type ProcessSnapshot } from "./cleanup.ts";
import type { OutputLine, RunResult } from "./run.ts";
import { type CheckOptions, fail, type Failure } from "./timing.ts";
import type { ProcessRecord } from "./tree.ts";

const STDERR_TAIL_LINES = 8;
/** Node's exit code when the event loop empties while a top-level await is pending. */
const UNSETTLED_AWAIT_CODE = 13;
const START_FAILURE = /SyntaxError|TransformError|ERR_MODULE_NOT_FOUND|Cannot find module|ERR_UNSUPPORTED/;
/** Node's exit codes for an uncaught error (1) and for an error in the handler of one (7). */
const UNCAUGHT_CODES = new Set([1, 7]);
/** How a process aborted by V8 (out of memory) ends: SIGABRT, or 134 through a shell. */
const ABORT_CODE = 134;

/** Whether the run's root was stopped (SIGSTOP, SIGTSTP) when its deadline struck. */
function stoppedAtDeadline(r: RunResult): boolean {
  return r.timedOut && r.aliveAtDeadline.some((p) => p.pid === r.pid && p.state === "T");
}

/** How the run ended, in words: "exited with code 1", "was killed by SIGTERM", ... */
export function describeEnd(r: RunResult): string {
  if (stoppedAtDeadline(r)) return `was stopped by a signal (SIGSTOP or SIGTSTP) and still stopped at its ${r.deadlineMs} ms deadline`;
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

/**
 * Stderr without stack frames into Node's internals and loaders, and without
 * V8's GC traces and native frames: what a learner needs to read.
 */
export function readableStderr(text: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "" || NOISE.some((re) => re.test(line)) || isV8Noise(line)) continue;
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

/** Options of {@link crashOf}. */
export interface CrashOptions {
  /**
   * Which crashes of other processes of the run count: "load" (a child that
   * could not load its file; the default), or "all" (any uncaught error).
   */
  children?: "load" | "all";
}

/** A crash's quoted lines, indented for a message. */
function quoted(c: Crash): string {
  return c.quote.map((l) => `  ${l}`).join("\n");
}

/** What to say about a file Node could not find or parse. */
function loadHint(c: Crash): string {
  if (/Cannot find module|ERR_MODULE_NOT_FOUND/.test(c.headline) && c.file) {
    return `${basename(c.file)} does not exist where the program looks for it: was it deleted, renamed or moved? ` +
      "The kata's given files must stay beside the files you edit.";
  }
  return "Fix the error at the line it names, then run the tests again.";
}

/**
 * The crash a lesson about this run must lead with, as a failure, or
 * undefined: the program could not start (kind `start`: a syntax error, a
 * missing module), it died of an uncaught error or out of memory (kind
 * `crash`), or a child could not load its file (kind `crash`); with
 * `children: "all"`, any process of the run that died of an uncaught error.
 * Each quotes the error as Node or V8 printed it, before any guess.
 */
export function crashOf(r: RunResult, options: CrashOptions = {}): Failure | undefined {
  const name = basename(r.file);
  const crashes = crashesIn(r.stderr);
  const rootFailed = !r.timedOut && r.exitCode !== 0;
  const printed = r.lines.some((l) => l.stream === "stdout");
  const last = crashes.at(-1);
  if (rootFailed && last?.kind === "load" && !printed) {
    const what = last.file && last.file !== r.file ? `${basename(last.file)}, which it imports` : "it";
    return {
      kind: "start",
      message: `${name} could not start: Node could not load ${what}.\n${quoted(last)}\n${loadHint(last)}`,
    };
  }
  // Children whose stderr went into a pipe nobody read: known from what each noted of its own crash.
  const unseen = r.crashes
    .filter((c) => c.pid !== r.pid && !r.stderr.includes(c.stack[0] ?? "\0"))
    .flatMap((c) => crashOfNoted(c) ?? []);
  const others = [...crashes, ...unseen];
  const fatal = crashes.find((c) => c.kind === "fatal");
  const aborted = r.signal === "SIGABRT" || r.exitCode === ABORT_CODE;
  if (rootFailed && fatal && aborted) {
    return {
      kind: "crash",
      message: `${name} ran out of memory, and V8 aborted it (${r.signal ?? `code ${r.exitCode}`}):\n${quoted(fatal)}\n` +
        "Does it keep everything it makes (a list that only grows, a loop that never ends)? Each process has a heap of limited size.",
    };
  }
  if (rootFailed && last && last.kind !== "fatal" && r.exitCode !== null && UNCAUGHT_CODES.has(r.exitCode)) {
    return {
      kind: "crash",
      message: `${name} crashed: an error nobody caught ended it (exit code ${r.exitCode}).\n${quoted(last)}`,
    };
  }
  const childLoad = others.find((c) => c.kind === "load");
  if (childLoad) {
    const file = childLoad.file ? basename(childLoad.file) : "its file";
    return {
      kind: "crash",
      message: `A child process that ${name} started could not start: Node could not load ${file}.\n` +
        `${quoted(childLoad)}\n${loadHint(childLoad)}`,
    };
  }
  if (fatal) {
    return {
      kind: "crash",
      message: `A process of the run ran out of memory, and V8 aborted it:\n${quoted(fatal)}`,
    };
  }
  const uncaught = others.find((c) => c.kind === "uncaught");
  if (options.children === "all" && uncaught) {
    const where = uncaught.file ? ` in ${basename(uncaught.file)}` : "";
    return { kind: "crash", message: `A process of the run crashed${where}: an error nobody caught ended it.\n${quoted(uncaught)}` };
  }
  return undefined;
}

/**
 * Passes unless the run could not start or crashed (see {@link crashOf}):
 * fails with the error Node printed, as the lesson's first words.
 */
export function assertNoCrash(r: RunResult, options: CrashOptions = {}): void {
  const crash = crashOf(r, options);
  if (crash) fail(crash.message, { kind: crash.kind });
}

/** What the processes were doing at the deadline, and a deadlock if they waited for each other. */
export function describeDeadline(r: RunResult): string {
  const name = basename(r.file);
  const head = stoppedAtDeadline(r)
    ? `${name} was stopped by a signal (SIGSTOP or SIGTSTP) and still stopped at its ${r.deadlineMs} ms deadline, so the harness killed it.`
    : r.expired
    ? `${name} was still running ${r.deadlineMs} ms into its run, when its test had seen enough and ended it.`
    : `${name} was still running at its ${r.deadlineMs} ms deadline, so the harness killed it.`;
  const list = r.aliveAtDeadline.length > 0
    ? ` What each process was doing then:\n${listProcesses(r.aliveAtDeadline)}`
    : "";
  return head + list + (r.deadlock ? `\n${r.deadlock}` : "");
}

/**
 * Passes when the program ended by itself, with exit code 0, before its deadline.
 * A program that could not start (a syntax error) or crashed is told so first,
 * in the words of its error; one killed at its deadline, what each process was
 * doing then (reading a pipe, waiting for a child, stopped) and any deadlock.
 */
export function assertFinished(r: RunResult, options: CheckOptions = {}): void {
  const name = r.file.slice(r.file.lastIndexOf("/") + 1);
  if (r.timedOut) {
    const hint = stoppedAtDeadline(r)
      ? "Who sent it SIGSTOP? A stopped process does nothing until it gets SIGCONT."
      : r.deadlock
      ? "Does each process wait for a message or an exit that only the other can give?"
      : "Does some process wait for something that never comes, or never exit?";
    fail(`${describeDeadline(r)}\n${hint}`, { ...options, kind: "deadline" });
  }
  const crash = crashOf(r);
  if (crash) fail(crash.message, { ...options, kind: crash.kind });
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
