// Kata 11: the pool (reference solution).
//
// startPool() forks `size` workers at once and keeps exactly that many alive
// until close(): tasks wait in a queue, and each goes to a worker that is idle.
// A worker that dies while the pool is open has crashed: a new one takes its
// place, and the task it had goes back in the queue, so every task is done
// exactly once.
import { type ChildProcess, fork } from "node:child_process";
import type { Done, Pool, Task } from "./task.ts";

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
      const job = busy.get(worker);
      busy.delete(worker);
      if (closing) return;
      // A crash: the task was not done, so it goes first in line, and a new
      // worker (started only now that the dead one is gone) keeps the pool full.
      if (job) queue.unshift(job);
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
