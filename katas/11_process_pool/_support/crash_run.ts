// Private helper of kata 11's tests: one run of main.ts in which the test kills
// the worker that is doing the long task, as a crash would, then lets the run
// end, or stops it once it has plainly stalled.
import { setTimeout as sleep } from "node:timers/promises";
import {
  fail,
  type KataProgram,
  type OutputLine,
  type ProcessRecord,
  type RunningProgram,
  type RunResult,
} from "../../../harness/mod.ts";

export const POOL_SIZE = 3;
export const TASK_COUNT = 12;
/** The task whose worker the test kills: main.ts makes it long. */
export const LONG_TASK = 5;
/**
 * This much silence, with every live worker loaded ("ready"), means a stall:
 * tasks take 2 and 12 units of 100 ms. A worker still loading (slow on a loaded
 * machine) holds the verdict back, however long it takes.
 */
export const STALL_MS = 15_000;
/** How long main.ts may run on after "main: all tasks done": with the pool closed, it ends at once. */
export const AFTER_DONE_MS = 5000;
const POLL_MS = 100;

/** Why the test stopped the run, and what was alive then. */
export interface Stop {
  /** Silent with work left, running on after "all tasks done", or more workers started than a pool needs. */
  why: "silent" | "after_done" | "too_many";
  /** When the test stopped it, in ms since the run started. */
  at: number;
  /** The workers alive when it was stopped. */
  alive: ProcessRecord[];
}

/** What the crash run saw. */
export interface CrashRun {
  result: RunResult;
  /** The worker the test killed, as observed, unless no worker ever started the long task. */
  killed?: ProcessRecord;
  /** When the test killed it, in ms since the run started. */
  killedAt?: number;
  /** Set when the test stopped a run that had stalled. */
  stop?: Stop;
}

const DONE = /^main: task (\d+) done by worker (\d+): (-?\d+)$/;
const STARTED = /^worker (\d+): task (\d+) (started|done)$/;

/** A "main: task N done by worker P: R" line, parsed. */
export interface DoneLine {
  id: number;
  pid: number;
  result: number;
  at: number;
}

/** Every "done" line main.ts printed, in order. */
export function doneLines(lines: OutputLine[]): DoneLine[] {
  return lines.flatMap((l) => {
    const m = l.stream === "stdout" ? DONE.exec(l.text) : null;
    return m ? [{ id: Number(m[1]), pid: Number(m[2]), result: Number(m[3]), at: l.at }] : [];
  });
}

/** A worker's own line, "worker P: task N started" or "worker P: task N done", parsed. */
export interface WorkerLine {
  pid: number;
  id: number;
  event: "started" | "done";
  at: number;
}

/**
 * Every line a worker printed, in the order it printed them. A process's own
 * lines keep their order on the shared pipe, so one worker's lines tell its
 * story in order.
 */
export function workerLines(lines: OutputLine[]): WorkerLine[] {
  return lines.flatMap((l) => {
    const m = l.stream === "stdout" ? STARTED.exec(l.text) : null;
    return m ? [{ pid: Number(m[1]), id: Number(m[2]), event: m[3] as WorkerLine["event"], at: l.at }] : [];
  });
}

function isWorker(p: ProcessRecord): boolean {
  return p.argv.some((a) => a.endsWith("worker.ts"));
}

/** The children of main.ts running worker.ts, in order of appearance. */
export function workersOf(r: RunResult): ProcessRecord[] {
  return r.tree.filter((p) => p.ppid === r.pid && isWorker(p));
}

/** The worker the test killed and when; a lesson if no worker ever started the long task. */
export function crashOf(run: CrashRun): { killed: ProcessRecord; killedAt: number } {
  if (run.killed && run.killedAt !== undefined) return { killed: run.killed, killedAt: run.killedAt };
  return fail(`No worker ever said "worker <pid>: task ${LONG_TASK} started", so the test could not kill it; ` +
    `main.ts ${run.stop ? "was stopped when it stalled" : "ended"}.`, {
    hint: "startPool() must fork its workers and send each queued task to an idle one: worker.send(task).",
  });
}

/** Starts main.ts, kills the worker of the long task once it has started it, and waits for the end. */
export async function crashRun(program: KataProgram): Promise<CrashRun> {
  const running = program.start("main.ts");
  const run: Partial<CrashRun> = {};
  for (;;) {
    const ended = await Promise.race([running.result, sleep(POLL_MS).then(() => undefined)]);
    if (ended) return { ...run, result: ended };
    if (!run.killed) killLongTask(running, run);
    if (!run.stop) {
      // Once more workers were started than a pool of POOL_SIZE and one replacement, the verdict is in.
      const started = running.tree.records().filter((p) => p.ppid === running.pid && isWorker(p)).length;
      const why = started > POOL_SIZE + 1 ? "too_many" : stalled(running, run.killedAt);
      if (why) {
        running.tree.sample();
        const alive = running.tree.alive().filter((p) => p.ppid === running.pid && isWorker(p));
        run.stop = { why, at: running.now(), alive };
        running.kill("SIGKILL");
      }
    }
  }
}

/** Kills the worker that said it started the long task, if one has. */
function killLongTask(running: RunningProgram, run: Partial<CrashRun>): void {
  const line = workerLines(running.lines).find((l) => l.id === LONG_TASK && l.event === "started");
  if (!line) return;
  running.tree.sample();
  const killed = running.tree.alive().find((p) => p.pid === line.pid && p.ppid === running.pid);
  if (!killed) {
    running.kill("SIGKILL");
    fail(`A worker said it started task ${LONG_TASK} as pid ${line.pid}, but no live child of main.ts has that pid.`);
  }
  run.killed = killed;
  run.killedAt = running.now();
  process.kill(line.pid, "SIGKILL");
}

/**
 * Whether the run has plainly stalled: silent for STALL_MS with no worker still
 * loading, or still running AFTER_DONE_MS after it said all tasks were done.
 */
function stalled(running: RunningProgram, killedAt = 0): Stop["why"] | undefined {
  const now = running.now();
  const out = running.lines.filter((l) => l.stream === "stdout");
  const allDone = out.find((l) => l.text === "main: all tasks done");
  if (allDone) return now - allDone.at > AFTER_DONE_MS ? "after_done" : undefined;
  // main.ts prints its first line once it has forked the pool's first workers.
  if (!out.some((l) => l.text.startsWith("main: pid "))) return undefined;
  const last = Math.max(killedAt, out.at(-1)?.at ?? 0);
  if (now - last <= STALL_MS) return undefined;
  running.tree.sample();
  const ready = new Set(out.flatMap((l) => /^worker (\d+): ready$/.exec(l.text)?.[1] ?? []).map(Number));
  const loading = running.tree.alive().filter((p) => p.ppid === running.pid && isWorker(p) && !ready.has(p.pid));
  return loading.length === 0 ? "silent" : undefined;
}
