// Wrong on purpose: when a worker dies, a new one takes its place, but the task
// the dead one had is forgotten: it is never done, and run() never resolves for
// it, so the program waits for ever.
import { type ChildProcess, fork } from "node:child_process";

/** A task: its id, and how many units of time its work takes. */
export interface Task {
  id: number;
  units: number;
}

/** What a worker sends back when it has done a task. */
export interface Done {
  id: number;
  /** The pid of the worker that did it. */
  pid: number;
  result: number;
}

/** A running pool of worker processes. */
export interface Pool {
  /** Queues `task`; resolves with its Done once a worker has done it. */
  run(task: Task): Promise<Done>;
  /** Lets every worker end (disconnects them); resolves once all have exited. */
  close(): Promise<void>;
}

interface Job {
  task: Task;
  resolve: (done: Done) => void;
}

/** Starts a pool of `size` processes running `workerFile`. */
export function startPool(workerFile: string, size: number): Pool {
  const queue: Job[] = [];
  const idle: ChildProcess[] = [];
  // The job each busy worker has: what to give back to the queue if it dies.
  const busy = new Map<ChildProcess, Job>();
  const exited = new Map<ChildProcess, Promise<void>>();
  let closing = false;

  function addWorker(): void {
    const worker = fork(workerFile);
    exited.set(worker, new Promise((resolve) => worker.once("exit", () => resolve())));
    worker.on("message", (done: Done) => {
      busy.get(worker)?.resolve(done);
      busy.delete(worker);
      idle.push(worker);
      dispatch();
    });
    // A send to a worker that has just died fails here; its "exit" below deals with the loss.
    worker.on("error", () => {});
    worker.once("exit", () => {
      exited.delete(worker);
      const i = idle.indexOf(worker);
      if (i >= 0) idle.splice(i, 1);
      busy.delete(worker);
      if (closing) return;
      // Keep the pool full.
      addWorker();
    });
    // Messages sent before the worker has loaded wait in its IPC channel.
    idle.push(worker);
    dispatch();
  }

  function dispatch(): void {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.shift()!;
      const job = queue.shift()!;
      busy.set(worker, job);
      worker.send(job.task);
    }
  }

  for (let i = 0; i < size; i++) addWorker();

  return {
    run(task) {
      return new Promise((resolve) => {
        queue.push({ task, resolve });
        dispatch();
      });
    },
    async close() {
      // From now on an exit is an ending, not a crash. A disconnected worker has
      // nothing left to keep it alive, so it ends by itself.
      closing = true;
      const ends = [...exited.values()];
      for (const worker of exited.keys()) if (worker.connected) worker.disconnect();
      await Promise.all(ends);
    },
  };
}
