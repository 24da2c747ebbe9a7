// Runs the check's jobs side by side, at most a number of workers at a time.
// Jobs of one chain (a kata's runs, which share its files) never overlap: they
// run one after another, in the order given. Results come back in the jobs'
// order whatever order they finish in, so the caller prints them in that order.
//
//   const results = runJobs([{ chain: "02", rank: 1, run: () => checkSolution(k) }], { workers: 4 });
//   for (const r of results) print(await r);
import { availableParallelism } from "node:os";

/**
 * Workers a core by default: a kata's processes spend most of their time
 * asleep, waiting for timers. On 2 cores, `npm test` on Node 26 took 362 s
 * on 4 workers (1.28 cores busy) and 287 s on 6 (1.52).
 */
export const WORKERS_PER_CORE = 3;
/** Sets the worker count of the check (the `--workers` flag wins). */
export const WORKERS_VAR = "KATA_WORKERS";

/** One piece of work. */
export interface Job<T> {
  /** Jobs with the same chain run one at a time, in the order given. */
  chain: string;
  /**
   * Lower ranks start first; within a rank, the job whose chain has the most
   * jobs still waiting, so that no long chain is left to finish alone at the end.
   */
  rank: number;
  run: () => Promise<T>;
}

/** Options of {@link runJobs}. */
export interface PoolOptions {
  /** The most jobs running at once (at least 1). */
  workers: number;
  /** Called as each job starts and ends, with the job's index (for a timeline of the check). */
  onEvent?: (event: { index: number; kind: "start" | "end"; at: number }) => void;
}

/** The worker count: `flag` when given, else KATA_WORKERS, else WORKERS_PER_CORE for each core. */
export function workerCount(flag?: string, env: NodeJS.ProcessEnv = process.env): number {
  const given = flag ?? env[WORKERS_VAR];
  if (given === undefined || given === "") return WORKERS_PER_CORE * availableParallelism();
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) {
    const from = flag !== undefined ? "--workers" : WORKERS_VAR;
    throw new RangeError(`Cannot run the check with ${from}=${given}: the worker count is a whole number, 1 or more`);
  }
  return n;
}

/** Starts the jobs as workers and chains allow; one promise per job, in the jobs' order. */
export function runJobs<T>(jobs: Job<T>[], options: PoolOptions): Promise<T>[] {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new RangeError(`Cannot run jobs on ${options.workers} workers: give 1 or more`);
  }
  const settle: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const results = jobs.map(() => new Promise<T>((resolve, reject) => settle.push({ resolve, reject })));
  const waiting = jobs.map((_, i) => i);
  const waitingIn = new Map<string, number>();
  for (const j of jobs) waitingIn.set(j.chain, (waitingIn.get(j.chain) ?? 0) + 1);
  const busy = new Set<string>();
  const t0 = performance.now();
  let running = 0;

  // The next job to start: the first waiting job of each free chain is a candidate.
  function next(): number | undefined {
    const seen = new Set<string>();
    let best: number | undefined;
    for (const i of waiting) {
      const { chain, rank } = jobs[i];
      if (busy.has(chain) || seen.has(chain)) continue;
      seen.add(chain);
      if (best === undefined) {
        best = i;
        continue;
      }
      const b = jobs[best];
      if (rank < b.rank || (rank === b.rank && waitingIn.get(chain)! > waitingIn.get(b.chain)!)) best = i;
    }
    return best;
  }

  function pump(): void {
    while (running < options.workers) {
      const i = next();
      if (i === undefined) return;
      waiting.splice(waiting.indexOf(i), 1);
      const { chain } = jobs[i];
      waitingIn.set(chain, waitingIn.get(chain)! - 1);
      busy.add(chain);
      running++;
      options.onEvent?.({ index: i, kind: "start", at: performance.now() - t0 });
      // A job that throws synchronously rejects its own promise, like one that rejects.
      Promise.resolve().then(jobs[i].run).then(settle[i].resolve, settle[i].reject).finally(() => {
        options.onEvent?.({ index: i, kind: "end", at: performance.now() - t0 });
        busy.delete(chain);
        running--;
        pump();
      });
    }
  }
  pump();
  return results;
}
