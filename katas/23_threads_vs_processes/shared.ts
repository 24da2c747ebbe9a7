// Given whole: the layout of the memory the threads share, what a thread is
// told when it starts, and how to start one.
import { Worker } from "node:worker_threads";

/** Index of the shared count, the one every thread adds to. */
export const COUNT = 0;
/** Index of the start gate: 0 while closed; a thread waits until it is not 0. */
export const GATE = 1;
/** Index of thread 0's tally (how many additions it made); thread i's is TALLY + i. */
export const TALLY = 2;
/** How many Int32 slots the shared memory holds for `threads` threads. */
export const slotsFor = (threads: number): number => TALLY + threads;

/** The name each counting thread gives itself (in /proc/<pid>/task/<tid>/comm). */
export const THREAD_NAME = "counter";

/** What each thread is given as its `workerData`. */
export interface ThreadJob {
  /** The memory every thread shares: a SharedArrayBuffer of slotsFor(threads) Int32 slots. */
  buffer: SharedArrayBuffer;
  /** This thread's number, 0 to threads - 1: its tally is at TALLY + index. */
  index: number;
  /** How long the thread adds, in ms from the moment the gate opens. */
  forMs: number;
  /** true: each addition is one atomic step; false: a plain `+= 1` (the race, on purpose). */
  atomic: boolean;
}

/** What a count with threads found. */
export interface ThreadCount {
  /** The shared count, as the threads left it. */
  count: number;
  /** How many additions the threads made: the sum of their tallies. */
  made: number;
}

/**
 * Starts a worker thread running `file` with `job` as its workerData: on Node
 * 22.18 and later, `new Worker(file, { workerData: job })`. Older Node loads
 * .ts files through tsx (`--import tsx`), which a new thread does not
 * inherit, so there the thread first loads tsx, then imports the file.
 */
export function startThread(file: URL, job: ThreadJob): Worker {
  const tsx = tsxLoader(process.execArgv);
  if ((process.features as { typescript?: unknown }).typescript || !tsx) return new Worker(file, { workerData: job });
  // tsx's loader (dist/loader.mjs) registers itself on the main thread only; its API registers it here.
  const api = new URL("esm/api/index.mjs", tsx).href;
  const boot = `(await import(${JSON.stringify(api)})).register(); await import(${JSON.stringify(file.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: job });
}

/** The URL of the tsx loader this process was started with (`--import tsx`, or its full URL), if any. */
function tsxLoader(execArgv: string[]): string | undefined {
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    const value = flag === "--import" ? execArgv[i + 1] : flag.startsWith("--import=") ? flag.slice(9) : undefined;
    if (value?.includes("tsx")) return value.startsWith("file:") ? value : import.meta.resolve(value);
  }
  return undefined;
}
