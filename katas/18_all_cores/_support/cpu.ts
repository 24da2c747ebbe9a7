// Private helper of kata 18's tests: one run of main.ts, with the CPU time of
// main.ts and of each worker read from /proc/<pid>/stat while they live, and
// the workers' states (R: running or ready to run) sampled side by side.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { currentParent, type KataProgram, type ProcessRecord, type RunResult } from "../../../harness/mod.ts";

/** Clock ticks a second in /proc (USER_HZ). */
const TICKS_PER_SECOND = 100;
const POLL_MS = 5;
const CORES = availableParallelism();
/** Once main.ts has printed its answer, how long it may take to end before the run counts as stuck. */
export const END_MS = 20_000;

/** A process's state and CPU time (user + system), from /proc/<pid>/stat. */
function readCpu(pid: number): { state: string; cpuMs: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  // Fields after the command name: state is field 3 of proc(5), utime 14, stime 15.
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: f[0], cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND };
}

/** What the run showed. */
export interface CpuRun {
  result: RunResult;
  /** Children of main.ts running worker.ts, in order of appearance. */
  workers: ProcessRecord[];
  /** CPU time of main.ts when its last worker appeared (all forks done), and at the last reading. */
  mainCpuAtStartMs: number | undefined;
  mainCpuMs: number;
  /** Each worker's CPU time at its last reading, by pid. */
  workerCpuMs: Map<number, number>;
  /** The most workers seen in state R in one sample, and when. */
  mostRunning: { count: number; at: number };
  /** Whether the test stopped main.ts because it did not end after printing its answer. */
  stuck: boolean;
}

/** Whether `r` is a worker of main.ts: its child running worker.ts (`parent` is current or first seen). */
function isWorker(r: ProcessRecord, mainPid: number, parent: number): boolean {
  return parent === mainPid && r.argv.some((a) => a.endsWith("worker.ts"));
}

/** Runs main.ts to its end, reading the CPU times as it goes. */
export async function cpuRun(program: KataProgram): Promise<CpuRun> {
  const running = program.start("main.ts");
  let ended = false;
  running.result.then(() => (ended = true));
  const workerCpuMs = new Map<number, number>();
  let mainCpuAtStartMs: number | undefined;
  let mainCpuMs = 0;
  let mostRunning = { count: 0, at: 0 };
  let answeredAt: number | undefined;
  let stuck = false;
  while (!ended) {
    const main = readCpu(running.pid);
    if (main && main.state !== "Z") mainCpuMs = main.cpuMs;
    let runningNow = 0;
    for (const r of running.tree.alive()) {
      if (!isWorker(r, running.pid, currentParent(r))) continue;
      const w = readCpu(r.pid);
      if (!w || w.state === "Z") continue;
      // Forking costs main.ts CPU time too: the job's share of it is counted from the last fork on.
      if (!workerCpuMs.has(r.pid)) mainCpuAtStartMs = mainCpuMs;
      workerCpuMs.set(r.pid, w.cpuMs);
      if (w.state === "R") runningNow++;
    }
    if (runningNow > mostRunning.count) mostRunning = { count: runningNow, at: running.now() };
    // More workers than cores fails the first test whatever comes next: no need to wait for them all.
    if (workerCpuMs.size > CORES) {
      running.kill("SIGKILL");
      break;
    }
    answeredAt ??= running.lines.some((l) => /^main: \d+ primes/.test(l.text)) ? running.now() : undefined;
    // Stuck: the answer is out, and END_MS later main.ts still runs.
    if (answeredAt !== undefined && running.now() - answeredAt > END_MS) {
      stuck = true;
      running.kill("SIGKILL");
      break;
    }
    await sleep(POLL_MS);
  }
  const result = await running.result;
  // By first parent: workers that outlived a killed main.ts were adopted since.
  const workers = result.tree.filter((r) => isWorker(r, result.pid, r.ppid));
  return { result, workers, mainCpuAtStartMs, mainCpuMs, workerCpuMs, mostRunning, stuck };
}
