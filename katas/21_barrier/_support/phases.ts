// Private helpers of kata 21's tests: the workers and their phases' work as
// the kernel showed them, and runs of main.ts watched while they go.
import { setTimeout as sleep } from "node:timers/promises";
import {
  aliveInterval,
  type Interval,
  type KataProgram,
  type ProcessRecord,
  type RunningProgram,
  type RunResult,
} from "../../../harness/mod.ts";

/**
 * Each worker's phases, in units: phase 1 ends at different moments, and the
 * longest phase 2 is the first worker's. The first worker's phase 1 is short
 * (a unit, 200 ms: the harness samples /proc every few ms), so that a barrier
 * that lets it through at once (the stub) is caught soon; the others last
 * 4 units at least.
 */
export const PLANS = ["1,15,4", "6,10,4", "12,4,4"];
/** The run in which the harness kills worker 2 (whose phase 1 is long) once worker 1 waits at the barrier. */
export const KILL_PLANS = ["2,4,4", "60,4,4", "12,4,4", "20,4,4"];
export const VICTIM = "2";
/** How long a run may go on with nothing new (no line, no process, no end) before it counts as stuck. */
export const STALL_MS = 10_000;
const POLL_MS = 20;

/** A worker process and its phases' work (its `sh -c ... phase-<n>` children), by phase. */
export interface Worker {
  id: string;
  process: ProcessRecord;
  jobs: Map<number, ProcessRecord>;
}

/** The phase a worker's job is for, from its argv (`sh -c 'sleep "$1"; :' phase-2 3`), if it is one. */
function phaseOf(p: ProcessRecord): number | undefined {
  const m = p.argv[0] === "sh" ? /^phase-(\d+)$/.exec(p.argv[3] ?? "") : null;
  return m ? Number(m[1]) : undefined;
}

/** The workers of main.ts (children running worker.ts), with their jobs. */
export function workersOf(records: ProcessRecord[], mainPid: number): Worker[] {
  return records
    .filter((p) => p.ppid === mainPid && p.argv.some((a) => a.endsWith("worker.ts")))
    .map((p) => {
      const jobs = new Map<number, ProcessRecord>();
      for (const j of records) {
        const phase = j.ppid === p.pid ? phaseOf(j) : undefined;
        if (phase !== undefined && !jobs.has(phase)) jobs.set(phase, j);
      }
      return { id: p.argv[p.argv.findIndex((a) => a.endsWith("worker.ts")) + 1] ?? "?", process: p, jobs };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The phases worker `id` said it began (worker.ts is given: its lines say what it did, in order). */
export function phasesBegun(lines: { text: string }[], id: string): number[] {
  return lines.flatMap((l) => {
    const m = new RegExp(`^worker ${id}: phase (\\d+)$`).exec(l.text);
    return m ? [Number(m[1])] : [];
  });
}

/** A job of phase `phase` seen before a job of the phase before it was last seen alive. */
export interface EarlyStart {
  early: { worker: string; job: ProcessRecord };
  still: { worker: string; job: ProcessRecord };
}

/** The first job of `phase` (2 or more) that started while some job of the phase before was still alive. */
export function firstEarlyStart(workers: Worker[], phase: number): EarlyStart | undefined {
  const of = (p: number) => workers.flatMap((w) => (w.jobs.has(p) ? [{ worker: w.id, job: w.jobs.get(p)! }] : []));
  const before = of(phase - 1);
  const after = of(phase).sort((a, b) => a.job.firstSeen - b.job.firstSeen);
  for (const a of after) {
    const still = before.find((b) => b.worker !== a.worker && a.job.firstSeen < (b.job.lastAlive ?? b.job.firstSeen));
    if (still) return { early: a, still };
  }
  return undefined;
}

/** The jobs of phases `from` to `to` (1-based), labelled for a chart. */
export function phaseLives(workers: Worker[], from: number, to: number): Interval[] {
  return workers.flatMap((w) =>
    [...w.jobs].filter(([p]) => p >= from && p <= to)
      .map(([p, j]) => aliveInterval(j, `worker ${w.id}, phase ${p} (pid ${j.pid})`))
  );
}

/** A run watched while it went. */
export interface Watched {
  r: RunResult;
  /** Set when the run was stopped for making no progress: when, and which workers were still alive. */
  stalled: { at: number; alive: string[] } | undefined;
  /** Set when the test stopped the run because `stopWhen` said so. */
  stopped: boolean;
}

/**
 * Watches a run of main.ts: once main says "go", a run with nothing new for
 * STALL_MS is ended as at a deadline; `stopWhen` (asked at each look) ends it
 * at once, when the verdict is known already.
 */
export async function watch(running: RunningProgram, stopWhen: () => boolean = () => false): Promise<Watched> {
  let ended = false;
  running.result.then(() => (ended = true), () => (ended = true));
  let progress = "";
  let since = Date.now();
  let stalled: Watched["stalled"];
  let stopped = false;
  while (!ended) {
    const records = running.tree.records();
    const now = `${running.lines.length}.${records.length}.${records.filter((p) => p.endedAt !== undefined).length}`;
    const going = running.lines.some((l) => l.text === "main: go");
    if (now !== progress || !going) {
      progress = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      const alive = workersOf(running.tree.alive(), running.pid).map((w) => w.id);
      stalled = { at: running.now(), alive };
      await running.expire();
      break;
    }
    if (stopWhen()) {
      stopped = true;
      await stopAll(running);
      break;
    }
    await sleep(POLL_MS);
  }
  return { r: await running.result, stalled, stopped };
}

/** SIGKILLs the run's processes, children first so that main.ts can reap them, then main.ts. */
async function stopAll(running: RunningProgram): Promise<void> {
  for (const p of running.tree.alive()) if (p.pid !== running.pid) kill(p.pid);
  await sleep(50);
  kill(running.pid);
}

/** Sends SIGKILL; a process gone already is no error. */
export function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

/** The run with every worker alive: it stops at the first phase that starts too early. */
export function fullRun(program: KataProgram): Promise<Watched> {
  const running = program.start("main.ts", { args: PLANS });
  return watch(running, () => {
    const workers = workersOf(running.tree.records(), running.pid);
    return firstEarlyStart(workers, 2) !== undefined || firstEarlyStart(workers, 3) !== undefined;
  });
}

/** The run in which the harness kills worker 2 during its phase 1, once worker 1 waits at the barrier. */
export interface KillRun extends Watched {
  /** When worker 2 was killed (ms since the run started), if it was. */
  killedAt: number | undefined;
  /** The workers that had said they wait at the barrier when worker 2 was killed. */
  arrivedBefore: string[];
}

/** Runs KILL_PLANS and kills worker 2 (and its work) once worker 1 says it waits at the barrier. */
export async function killRun(program: KataProgram): Promise<KillRun> {
  const running = program.start("main.ts", { args: KILL_PLANS });
  let killedAt: number | undefined;
  let arrivedBefore: string[] = [];
  const waiting = () =>
    running.lines.flatMap((l) => /^worker (\d+): waits at the barrier$/.exec(l.text)?.[1] ?? []);
  const watched = await watch(running, () => {
    if (killedAt !== undefined || !waiting().includes("1")) return false;
    const victim = workersOf(running.tree.records(), running.pid).find((w) => w.id === VICTIM);
    if (!victim || victim.process.endedAt !== undefined) return false;
    // Its phase-1 work and that work's sleep must be seen first, or the sleep would outlive the kill.
    const job = victim.jobs.get(1);
    if (!job || !running.tree.alive().some((p) => p.ppid === job.pid)) return false;
    arrivedBefore = waiting();
    killedAt = running.now();
    // The worker, its phase's work, and that work's own sleep: nothing of it may outlive it.
    // Found to a fixed point: the observer lists processes in no set order (a sleep may come before its sh).
    const alive = running.tree.alive();
    const doomed = new Set([victim.process.pid]);
    for (let size = 0; size !== doomed.size;) {
      size = doomed.size;
      for (const p of alive) if (doomed.has(p.ppid)) doomed.add(p.pid);
    }
    for (const pid of doomed) kill(pid);
    return false;
  });
  return { ...watched, killedAt, arrivedBefore };
}
