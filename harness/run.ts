// Runs a TypeScript program as a real process tree: output lines stamped on
// arrival, the tree observed from the kernel, a deadline, and nothing left behind.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRunGroup, type RunGroup } from "./_cgroup.ts";
import { CRASH_FILE_VAR, type NotedCrash, readNotedCrashes, withCrashHook } from "./_crash.ts";
import { armDeadline, waitOutGrace } from "./_deadline.ts";
import { cleanUpOnExit, trackRun } from "./_exit_cleanup.ts";
import { nodeArgsFor } from "./_loader.ts";
import { captureOutput, noLineMessage, type OutputLine } from "./_output.ts";
import { readArgv, readStat } from "./_proc.ts";
import { ownerTag, sweepDeadRuns } from "./_sweep.ts";
import { CLEANUP_LIMIT_MS, type KillReport, killMarked, type ProcessSnapshot } from "./cleanup.ts";
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
const GROUP_POLL_MS = 10;

/**
 * Every process of a run carries the run's id in KATA_RUN, and the ids of every
 * enclosing run (a test file run by the check) in KATA_RUNS, so that clean-up at
 * any level finds everything below it. A run id starts with its harness's pid
 * and start time (`<pid>.<ticks>.<uuid>`), so that the next harness can tell
 * the runs of a harness that was killed and end them.
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
  /**
   * Put the run in a cgroup of its own where Linux allows it (default true);
   * false runs it with markers and the observed tree only (tests of that fallback).
   */
  cgroup?: boolean;
  /**
   * How often the observer samples the tree, in ms (default 4). A run watched
   * only to clean it up (a test file, whose own runs are sampled closely) can
   * be sampled far less often, which saves most of the observer's CPU.
   */
  sampleMs?: number;
  /** Also record the threads of each process (`ProcessRecord.threads`), as a test of threads needs. */
  threads?: boolean;
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
  /**
   * Errors nobody caught that ended Node processes of the run, as each process
   * noted its own (pid and stack), children whose stderr nobody read included.
   */
  crashes: NotedCrash[];
  /** Every process observed, the program first. */
  tree: ProcessRecord[];
  /** The program's own record, if it was observed. */
  root: ProcessRecord | undefined;
  /** Every other observed process. */
  descendants: ProcessRecord[];
  /** Whether the deadline ended the run. */
  timedOut: boolean;
  /** Whether the test ended it early with `expire()` (timedOut is then true too): a hang the test wanted. */
  expired: boolean;
  /** The deadline that applied, in ms. */
  deadlineMs: number;
  /** Processes alive when the deadline struck (all were then killed), each with what it was doing (`doing`). */
  aliveAtDeadline: ProcessSnapshot[];
  /** When the deadline struck on processes that waited for each other: a sentence naming the deadlock. */
  deadlock: string | undefined;
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
  /**
   * The run's own cgroup (v2), which none of its processes could leave, while
   * it ran; undefined where Linux did not let the harness make one (then
   * clean-up relies on markers and on every process the observer saw).
   */
  cgroup: string | undefined;
  /**
   * CPU time used by the run's processes (the program and all it started), in
   * ms, from its cgroup; undefined without one.
   */
  cpuMs: number | undefined;
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
  /**
   * Ends the run now, as its deadline would: notes what each process is doing
   * (after a short look at who uses the CPU), then kills them all. The result
   * says it timed out, with `deadlineMs` the time it was ended. For tests of a
   * program that is stuck on purpose, so that they need not wait out a deadline.
   */
  expire(): Promise<void>;
  /** Resolves with the first line matching `pattern`, waiting for it if needed; the tree is sampled as it is found. */
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
  sweepOnce();
  const marker = `${ownerTag()}.${randomUUID()}`;
  const enclosing = process.env[RUN_IDS_VAR];
  const crashFile = join(crashDir(), `${marker}.jsonl`);
  const t0 = performance.now();
  const now = () => performance.now() - t0;

  const child = spawn(process.execPath, [...nodeArgsFor(file), ...args], {
    cwd: options.cwd,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      ...options.env,
      NODE_OPTIONS: withCrashHook(options.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS),
      [CRASH_FILE_VAR]: crashFile,
      KATA_UNIT_MS: String(unitMs),
      [RUN_ID_VAR]: marker,
      [RUN_IDS_VAR]: enclosing ? `${enclosing} ${marker}` : marker,
    },
  });
  const pid = child.pid ?? -1;
  // Into the run's cgroup before the program has had time to start anything.
  let group: RunGroup | undefined = pid > 0 && options.cgroup !== false ? makeRunGroup(marker) : undefined;
  if (group && !group.add(pid)) {
    group.remove();
    group = undefined;
  }
  const untrack = trackRun(marker, pid, () => group?.kill());
  const tree = observeTree(pid, {
    marker, clock: now, source: options.observer, spawnedAt: 0,
    member: group && ((p) => group.has(p)),
    members: group && (() => group.procs()),
    sampleMs: options.sampleMs, threads: options.threads,
  });
  const output = captureOutput(child, now);

  child.stdin.on("error", () => {}); // a program that exits without reading its stdin
  if (options.input !== undefined) child.stdin.end(options.input);
  else if (!options.interactive) child.stdin.end();

  /** CPU time of the run's processes, read from its cgroup as it was emptied. */
  let cpuMs: number | undefined;
  /** Kills everything of the run: its cgroup, its marked processes, every process seen in its tree. */
  async function killAll(alive: ProcessSnapshot[]): Promise<KillReport> {
    group?.kill();
    tree.sample();
    const seen = tree.records().filter((r) => r.goneAt === undefined && r.state !== "Z" && r.startTicks > 0);
    const pids = tree.info.source === "ps" ? alive.map((p) => p.pid) : [];
    const report = await killMarked(marker, { group: pid, pids, seen });
    if (!group) return report;
    const emptied = await emptyGroup(group, report.survivors);
    cpuMs = emptied.cpuMs ?? cpuMs;
    return { ...report, survivors: [...report.survivors, ...emptied.left] };
  }
  const deadline = armDeadline(deadlineMs, tree, marker, killAll);
  let expiredAt: number | undefined;
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
    const report = await killAll(leftovers);
    const pipeWait = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, PIPE_CLOSE_MS);
    await output.closed;
    clearTimeout(pipeWait);
    const records = tree.stop();
    untrack();
    const crashes = readNotedCrashes(crashFile);
    rmSync(crashFile, { force: true });
    const root = records.find((r) => r.pid === pid);
    return {
      file, args, pid, exitCode: exit.code, signal: exit.signal, durationMs: exit.at,
      lines: output.lines, stdout: output.text.stdout, stderr: output.text.stderr, outputTruncated: output.truncated(), crashes,
      tree: records, root, descendants: records.filter((r) => r.pid !== pid),
      timedOut: deadline.struck(), expired: expiredAt !== undefined, deadlineMs: expiredAt ?? deadlineMs, aliveAtDeadline: deadline.aliveAtDeadline(), deadlock: deadline.deadlock(),
      leftovers: deadline.struck() ? [] : leftovers, survivors: report.survivors,
      observer: tree.info, unitMs, runId: marker, cgroup: group?.path, cpuMs,
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
    async expire() {
      expiredAt ??= Math.round(now());
      await deadline.now();
    },
    waitForLine(pattern, waitOptions = {}) {
      const test = (l: OutputLine) =>
        typeof pattern === "string" ? l.text.includes(pattern) : pattern.test(l.text);
      // The tree is sampled when the line is found, so that it holds at least
      // what the line tells of (a child that printed before the next sample).
      const past = output.lines.find(test);
      if (past) {
        tree.sample();
        return Promise.resolve(past);
      }
      return new Promise<OutputLine>((resolve, reject) => {
        let settled = false;
        const done = (then: () => void) => {
          if (settled) return;
          settled = true;
          stop();
          clearTimeout(timer);
          then();
        };
        const stop = output.listen((l) => test(l) && done(() => {
          tree.sample();
          resolve(l);
        }));
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

let swept = false;
let crashes: string | undefined;

/** This process's folder for its runs' crash files (in KATA_TMPDIR when set), removed when it ends. */
function crashDir(): string {
  if (crashes) return crashes;
  const base = process.env.KATA_TMPDIR || tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `kata-crashes-${ownerTag()}-`));
  cleanUpOnExit(() => rmSync(dir, { recursive: true, force: true }));
  crashes = dir;
  return dir;
}

/** Once a process: ends what harnesses killed before they could clean up left behind. */
function sweepOnce(): void {
  if (swept) return;
  swept = true;
  sweepDeadRuns();
}

/**
 * Waits until the killed group is empty, then removes it; returns the
 * processes still in it after the clean-up limit (not already in `known`), and
 * the CPU time its processes used, read last while it was empty.
 */
async function emptyGroup(group: RunGroup, known: ProcessSnapshot[]): Promise<{ left: ProcessSnapshot[]; cpuMs?: number }> {
  const until = Date.now() + CLEANUP_LIMIT_MS;
  let cpuMs = group.cpuMs();
  while (!group.remove() && Date.now() < until) {
    group.kill();
    await sleep(GROUP_POLL_MS);
    cpuMs = group.cpuMs() ?? cpuMs;
  }
  const left: ProcessSnapshot[] = [];
  for (const pid of group.pids()) {
    const s = readStat(pid);
    if (s && s.state !== "Z" && !known.some((p) => p.pid === pid)) {
      left.push({ pid, ppid: s.ppid, state: s.state, argv: readArgv(pid) ?? [] });
    }
  }
  return { left, cpuMs };
}

/** Runs `file` to the end (or its deadline) and returns what happened. */
export function run(file: string, options: RunOptions = {}): Promise<RunResult> {
  return start(file, options).result;
}
