// Kata 21: a barrier between processes.
//
//   main.ts [plan...]    one plan a worker: its phases' lengths in time units, "2,8,2"
//
// It forks one worker a plan (four by default). Every worker does its phase 1,
// waits at the barrier until all have finished theirs, does phase 2, waits
// again, and so on. The barrier, in barrier.ts, is yours: main.ts serves it,
// the workers wait at it. When a worker dies, those that wait for it must give
// up with an error instead of waiting for ever. This file and worker.ts are given.
// Done when: `npm run kata -- run 21` passes. Run it by hand with
//   node --import tsx katas/21_barrier/main.ts 1,3,1 2,2,1 3,1,1
import { type ChildProcess, fork } from "node:child_process";
import { serveBarrier } from "./barrier.ts";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const PLAN = /^\d+(,\d+)*$/;

const plans = process.argv.length > 2 ? process.argv.slice(2) : ["4,12,4", "6,10,4", "8,8,4", "12,4,4"];
if (!plans.every((p) => PLAN.test(p) && p.split(",").length === plans[0].split(",").length)) {
  console.error("Usage: main.ts [plan...]   each plan the phases' lengths in units (\"2,8,2\"), the same count for all");
  process.exit(2);
}

const workers = plans.map((plan, i) => fork(WORKER, [String(i + 1), plan]));
serveBarrier(workers);
workers.forEach((worker, i) => {
  worker.on("exit", (code, signal) => {
    console.log(`main: worker ${i + 1} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
    if (code !== 0) process.exitCode = 1;
  });
});

// The start signal goes out once every worker listens, and carries the moment
// it was sent: each worker's phase 1 ends that long after it, however late the
// signal reached the worker on a busy machine.
await Promise.all(workers.map(readyOrGone));
const at = Date.now();
for (const worker of workers) if (worker.connected) worker.send({ kind: "go", at });
console.log("main: go");

/** Resolves when the worker says it is ready, or when it has ended without saying so. */
function readyOrGone(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      worker.off("message", onMessage);
      worker.off("exit", done);
      resolve();
    };
    const onMessage = (message: unknown) => {
      if ((message as { kind?: string } | null)?.kind === "ready") done();
    };
    worker.on("message", onMessage);
    worker.on("exit", done);
  });
}
