// Runs a TypeScript program as a real process tree: output lines stamped on
// arrival, the tree observed from the kernel, a deadline, and nothing left behind.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Writable } from "node:stream";
import { armDeadline, waitOutGrace } from "./_deadline.ts";
import { trackRun } from "./_exit_cleanup.ts";
import { nodeArgsFor } from "./_loader.ts";
import { captureOutput, noLineMessage, type OutputLine } from "./_output.ts";
import { killMarked, type ProcessSnapshot } from "./cleanup.ts";
import { type ObserverInfo, observeTree, type ProcessRecord, type TreeObserver } from "./tree.ts";

export { cleanUpOnExit } from "./_exit_cleanup.ts";
export { MAX_OUTPUT_CHARS, MAX_OUTPUT_LINES, type OutputLine } from "./_output.ts";

/** Default deadline of a run, in ms. */
export const DEFAULT_DEADLINE_MS = 10_000;
/** Default time the program's descendants get to end after it exits, in ms. */
export const DEFAULT_GRACE_MS = 300;
/** Default time unit handed to programs as KATA_UNIT_MS. */
export const DEFAULT_UNIT_MS = 100;
/** How long the pipes may stay open after every process is dead, in ms. */
const PIPE_CLOSE_MS = 1000;

/**
 * Every process of a run carries the run's id in KATA_RUN, and the ids of every
 * enclosing run (a test file run by the check) in KATA_RUNS, so that clean-up at
 * any level finds everything below it.
 */
export const RUN_ID_VAR = "KATA_RUN";
export const RUN_IDS_VAR = "KATA_RUNS";

/** Options of {@link start} and {@link run}. */
export interface RunOptions {
  /** Arguments after the file name. */
  args?: string[];
  /** The time unit handed to the program as KATA_UNIT_MS. */
  unitMs?: number;
  /** When to kill the whole tree if it has not ended, in ms after the start. */
  deadlineMs?: number;
  /** How long descendants may outlive the program before they count as left behind, in ms. */
  graceMs?: number;
  /** Text written to the program's stdin, which is then closed. */
  input?: string;
  /** Keep stdin open for {@link RunningProgram.stdin}; by default it is closed at once. */
  interactive?: boolean;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Working directory of the program. */
  cwd?: string;
  /** Force the observer's source (tests of the fallback); by default /proc where it exists. */
  observer?: "proc" | "ps";
}

/** Everything known about a finished run. Times are ms since the program was spawned. */
export interface RunResult {
  /** The program file and its arguments. */
  file: string;
  args: string[];
  /** The program's own pid. */
  pid: number;
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended it, or null. */
  signal: NodeJS.Signals | null;
  /** From spawn to the program's exit, in ms. */
  durationMs: number;
  /** Every output line in arrival order (up to MAX_OUTPUT_LINES). */
  lines: OutputLine[];
  stdout: string;
  stderr: string;
  /** Whether output past the limits was dropped (a program that floods). */
  outputTruncated: boolean;
  /** Every process observed, the program first. */
  tree: ProcessRecord[];
  /** The program's own record, if it was observed. */
  root: ProcessRecord | undefined;
  /** Every other observed process. */
  descendants: ProcessRecord[];
  /** Whether the deadline ended the run. */
  timedOut: boolean;
  /** The deadline that applied, in ms. */
  deadlineMs: number;
  /** Processes alive when the deadline struck (all were then killed). */
  aliveAtDeadline: ProcessSnapshot[];
  /** Processes still alive or zombie when the grace period after the program's exit ended (then killed). */
  leftovers: ProcessSnapshot[];
  /** Processes that could not be killed at all (should be empty). */
  survivors: ProcessSnapshot[];
  /** What the observer could see. */
  observer: ObserverInfo;
  /** The time unit the program was given. */
  unitMs: number;
  /** The run's id, found in the environment of each of its processes (KATA_RUN). */
  runId: string;
}

/** A program that is running: talk to it, signal it, wait for it. */
export interface RunningProgram {
  pid: number;
  /** The program's stdin (open only with `interactive: true`). */
  stdin: Writable;
  /** Output lines so far. */
  lines: OutputLine[];
  /** The live observer of the tree. */
  tree: TreeObserver;
  /** ms since the run started. */
  now(): number;
  /** Sends a signal to the program itself (not its children). */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the first line matching `pattern`, waiting for it if needed. */
  waitForLine(pattern: RegExp | string, options?: { timeoutMs?: number }): Promise<OutputLine>;
  /** Resolves when the run is over and cleaned up. */
  result: Promise<RunResult>;
}

/** Starts `file` (a .ts program) as a real process; see {@link RunningProgram}. */
export function start(file: string, options: RunOptions = {}): RunningProgram {
  const args = options.args ?? [];
  const unitMs = options.unitMs ?? DEFAULT_UNIT_MS;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const marker = randomUUID();
  const enclosing = process.env[RUN_IDS_VAR];
  const t0 = performance.now();
  const now = () => performance.now() - t0;

  const child = spawn(process.execPath, [...nodeArgsFor(file), ...args], {
    cwd: options.cwd,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      ...options.env,
      KATA_UNIT_MS: String(unitMs),
      [RUN_ID_VAR]: marker,
      [RUN_IDS_VAR]: enclosing ? `${enclosing} ${marker}` : marker,
    },
  });
  const pid = child.pid ?? -1;
  const untrack = trackRun(marker, pid);
  const tree = observeTree(pid, { marker, clock: now, source: options.observer, spawnedAt: 0 });
  const output = captureOutput(child, now);

  child.stdin.on("error", () => {}); // a program that exits without reading its stdin
  if (options.input !== undefined) child.stdin.end(options.input);
  else if (!options.interactive) child.stdin.end();

  const deadline = armDeadline(deadlineMs, pid, marker, tree);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.on("exit", (code, signal) => resolve({ code, signal, at: now() }));
      child.on("error", () => resolve({ code: null, signal: null, at: now() }));
    },
  );

  async function finish(): Promise<RunResult> {
    const exit = await Promise.race([exited, deadline.hit.then(() => exited)]);
    // Descendants get a grace period to end on their own.
    const leftovers = await waitOutGrace(tree, marker, pid, exit.at + graceMs, now, deadline.struck);
    deadline.clear();
    const report = await killMarked(marker, { group: pid, pids: leftovers.map((p) => p.pid) });
    const pipeWait = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, PIPE_CLOSE_MS);
    await output.closed;
    clearTimeout(pipeWait);
    const records = tree.stop();
    untrack();
    const root = records.find((r) => r.pid === pid);
    return {
      file, args, pid, exitCode: exit.code, signal: exit.signal, durationMs: exit.at,
      lines: output.lines, stdout: output.text.stdout, stderr: output.text.stderr, outputTruncated: output.truncated(),
      tree: records, root, descendants: records.filter((r) => r.pid !== pid),
      timedOut: deadline.struck(), deadlineMs, aliveAtDeadline: deadline.aliveAtDeadline(),
      leftovers: deadline.struck() ? [] : leftovers, survivors: report.survivors,
      observer: tree.info, unitMs, runId: marker,
    };
  }
  const result = finish();

  return {
    pid,
    stdin: child.stdin,
    lines: output.lines,
    tree,
    now,
    kill(signal: NodeJS.Signals = "SIGTERM") {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    },
    waitForLine(pattern, waitOptions = {}) {
      const test = (l: OutputLine) =>
        typeof pattern === "string" ? l.text.includes(pattern) : pattern.test(l.text);
      const past = output.lines.find(test);
      if (past) return Promise.resolve(past);
      return new Promise<OutputLine>((resolve, reject) => {
        let settled = false;
        const done = (then: () => void) => {
          if (settled) return;
          settled = true;
          stop();
          clearTimeout(timer);
          then();
        };
        const stop = output.listen((l) => test(l) && done(() => resolve(l)));
        const timer = setTimeout(
          () => done(() => reject(new Error(noLineMessage(pattern, "in time", output.lines)))),
          waitOptions.timeoutMs ?? deadlineMs,
        );
        result.then(() => done(() => reject(new Error(noLineMessage(pattern, "before it ended", output.lines)))));
      });
    },
    result,
  };
}

/** Runs `file` to the end (or its deadline) and returns what happened. */
export function run(file: string, options: RunOptions = {}): Promise<RunResult> {
  return start(file, options).result;
}
