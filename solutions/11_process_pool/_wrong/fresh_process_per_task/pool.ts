// Wrong on purpose: a fresh process for every task. At most `size` run at once
// (the next starts only when one has exited), so the limit holds, but nothing
// is pooled: 12 tasks cost 12 process start-ups instead of 3.
import { fork } from "node:child_process";

export interface Task {
  id: number;
  units: number;
}

export interface Done {
  id: number;
  pid: number;
  result: number;
}

export interface Pool {
  run(task: Task): Promise<Done>;
  close(): Promise<void>;
}

interface Job {
  task: Task;
  resolve: (done: Done) => void;
}

export function startPool(workerFile: string, size: number): Pool {
  const queue: Job[] = [];
  let running = 0;

  function next(): void {
    while (running < size && queue.length > 0) {
      const job = queue.shift()!;
      running++;
      let done: Done | undefined;
      const worker = fork(workerFile);
      worker.on("message", (d: Done) => {
        done = d;
        worker.disconnect();
      });
      worker.on("error", () => {});
      worker.once("exit", () => {
        running--;
        if (done) job.resolve(done);
        else queue.unshift(job);
        next();
      });
      worker.send(job.task);
    }
  }

  return {
    run(task) {
      return new Promise((resolve) => {
        queue.push({ task, resolve });
        next();
      });
    },
    async close() {},
  };
}
