// Runs a TypeScript program as a real process tree: output lines stamped on
// arrival, the tree observed from the kernel, a deadline, and nothing left behind.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { nodeArgsFor } from "./_loader.ts";
import { findMarked, killMarked, type ProcessSnapshot } from "./cleanup.ts";
import { type ObserverInfo, observeTree, type ProcessRecord, type TreeObserver } from "./tree.ts";

/** Default deadline of a run, in ms. */
export const DEFAULT_DEADLINE_MS = 10_000;
/** Default time the program's descendants get to end after it exits, in ms. */
export const DEFAULT_GRACE_MS = 300;
/** Default time unit handed to programs as KATA_UNIT_MS. */
export const DEFAULT_UNIT_MS = 100;
/** Output kept per run; past this, lines are counted but dropped. */
export const MAX_OUTPUT_LINES = 10_000;
export const MAX_OUTPUT_CHARS = 2_000_000;
/** How long the pipes may stay open after every process is dead, in ms. */
const PIPE_CLOSE_MS = 1000;
const GRACE_POLL_MS = 5;

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

/** One line of output, stamped when the harness received it. */
export interface OutputLine {
  stream: "stdout" | "stderr";
  text: string;
  /** ms since the run started. */
  at: number;
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

/** Runs in progress in this process: their run ids and root pids. */
const active = new Map<string, number>();
/** Other clean-ups to do, synchronously, if this process ends or is interrupted. */
const exitCleanups = new Set<() => void>();
let exitCleanupInstalled = false;

/**
 * Has `cleanup` (synchronous) run if this process exits, or is ended by SIGINT,
 * SIGTERM or SIGHUP, before the returned function is called to cancel it: for
 * what a run leaves on disk, such as a temp folder.
 */
export function cleanUpOnExit(cleanup: () => void): () => void {
  installExitCleanup();
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

/**
 * Kills every run still in progress, synchronously, then does the other
 * clean-ups registered with {@link cleanUpOnExit}. Runs are started in process
 * groups of their own, so a Ctrl-C in the terminal does not reach them: without
 * this, stopping the harness would leave its programs running.
 */
function killActiveRuns(): void {
  for (const [runId, pid] of active) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
    for (const p of findMarked(runId)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
  }
  active.clear();
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is ending.
    }
  }
  exitCleanups.clear();
}

function installExitCleanup(): void {
  if (exitCleanupInstalled) return;
  exitCleanupInstalled = true;
  process.on("exit", killActiveRuns);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      killActiveRuns();
      // Die of the same signal, as if no handler had been installed.
      process.kill(process.pid, sig);
    });
  }
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
  installExitCleanup();
  active.set(marker, pid);
  const tree = observeTree(pid, { marker, clock: now, source: options.observer, spawnedAt: 0 });

  const lines: OutputLine[] = [];
  const chars = { stdout: 0, stderr: 0 };
  const text = { stdout: "", stderr: "" };
  let truncated = false;
  const waiters = new Set<{ test: (l: OutputLine) => boolean; resolve: (l: OutputLine) => void }>();

  function addLine(stream: "stdout" | "stderr", line: string): void {
    const entry = { stream, text: line, at: now() };
    for (const w of waiters) if (w.test(entry)) w.resolve(entry);
    if (lines.length >= MAX_OUTPUT_LINES || chars[stream] + line.length > MAX_OUTPUT_CHARS) {
      truncated = true;
      return;
    }
    chars[stream] += line.length + 1;
    text[stream] += line + "\n";
    lines.push(entry);
  }

  function collect(stream: "stdout" | "stderr"): Promise<void> {
    const source = child[stream];
    let partial = "";
    source.setEncoding("utf8");
    source.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const p of parts) addLine(stream, p);
    });
    return new Promise((resolve) => {
      source.on("close", () => {
        if (partial) addLine(stream, partial);
        resolve();
      });
    });
  }
  const pipesClosed = Promise.all([collect("stdout"), collect("stderr")]);

  child.stdin.on("error", () => {}); // a program that exits without reading its stdin
  if (options.input !== undefined) child.stdin.end(options.input);
  else if (!options.interactive) child.stdin.end();

  let timedOut = false;
  let aliveAtDeadline: ProcessSnapshot[] = [];
  let onDeadline: () => void = () => {};
  const deadlineHit = new Promise<void>((resolve) => (onDeadline = resolve));
  const deadline = setTimeout(async () => {
    timedOut = true;
    tree.sample();
    aliveAtDeadline = aliveOf(tree, marker);
    await killMarked(marker, { group: pid, pids: aliveAtDeadline.map((p) => p.pid) });
    onDeadline();
  }, deadlineMs);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.on("exit", (code, signal) => resolve({ code, signal, at: now() }));
      child.on("error", () => resolve({ code: null, signal: null, at: now() }));
    },
  );

  async function finish(): Promise<RunResult> {
    const exit = await Promise.race([exited, deadlineHit.then(() => exited)]);
    // Descendants get a grace period to end on their own.
    let leftovers: ProcessSnapshot[] = [];
    const graceEnd = exit.at + graceMs;
    while (!timedOut) {
      tree.sample();
      leftovers = aliveOf(tree, marker, true).filter((p) => p.pid !== pid);
      if (leftovers.length === 0 || now() >= graceEnd) break;
      await sleep(GRACE_POLL_MS);
    }
    clearTimeout(deadline);
    if (timedOut) leftovers = [];
    const report = await killMarked(marker, { group: pid, pids: leftovers.map((p) => p.pid) });
    const pipeWait = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, PIPE_CLOSE_MS);
    await pipesClosed;
    clearTimeout(pipeWait);
    const records = tree.stop();
    active.delete(marker);
    const root = records.find((r) => r.pid === pid);
    return {
      file, args, pid, exitCode: exit.code, signal: exit.signal, durationMs: exit.at,
      lines, stdout: text.stdout, stderr: text.stderr, outputTruncated: truncated,
      tree: records, root, descendants: records.filter((r) => r.pid !== pid),
      timedOut, deadlineMs, aliveAtDeadline, leftovers, survivors: report.survivors,
      observer: tree.info, unitMs, runId: marker,
    };
  }
  const result = finish();

  return {
    pid,
    stdin: child.stdin,
    lines,
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
      const past = lines.find(test);
      if (past) return Promise.resolve(past);
      return new Promise<OutputLine>((resolve, reject) => {
        const waiter = { test, resolve: (l: OutputLine) => done(() => resolve(l)) };
        const timer = setTimeout(
          () => done(() => reject(new Error(noLineMessage(pattern, "in time", lines)))),
          waitOptions.timeoutMs ?? deadlineMs,
        );
        result.then(() => done(() => reject(new Error(noLineMessage(pattern, "before it ended", lines)))));
        function done(then: () => void) {
          if (!waiters.delete(waiter)) return;
          clearTimeout(timer);
          then();
        }
        waiters.add(waiter);
      });
    },
    result,
  };
}

/** Runs `file` to the end (or its deadline) and returns what happened. */
export function run(file: string, options: RunOptions = {}): Promise<RunResult> {
  return start(file, options).result;
}

/**
 * Processes of the run that are alive, and with `withZombies` also the zombies
 * that a live process of the run has yet to reap. A zombie adopted by an outside
 * process (pid 1, a subreaper) is dead and no longer the program's to reap.
 */
function aliveOf(tree: TreeObserver, marker: string, withZombies = false): ProcessSnapshot[] {
  const out = new Map<number, ProcessSnapshot>();
  const records = tree.records().filter((r) => r.goneAt === undefined);
  const live = new Set(records.filter((r) => r.state !== "Z").map((r) => r.pid));
  for (const r of records) {
    const ppid = r.parents.at(-1)?.ppid ?? r.ppid;
    if (r.state === "Z" && !(withZombies && live.has(ppid))) continue;
    out.set(r.pid, { pid: r.pid, ppid, state: r.state, argv: r.argv });
  }
  for (const p of findMarked(marker, true)) if (!out.has(p.pid)) out.set(p.pid, p);
  return [...out.values()];
}

function noLineMessage(pattern: RegExp | string, when: string, lines: OutputLine[]): string {
  const tail = lines.slice(-5).map((l) => `  ${l.stream}: ${l.text}`).join("\n");
  return `The program printed no line matching ${String(pattern)} ${when}. ` +
    (tail ? `Its last lines:\n${tail}` : "It printed nothing.");
}
