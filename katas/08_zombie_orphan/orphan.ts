// Kata 08 (b): leave an orphan on purpose.
//
// This program forks worker.ts, waits until the worker says it is up, and then
// exits while the worker still works. The worker is not killed: it becomes an
// orphan, and the kernel gives it a new parent (the worker prints who).
// Done when: `npm run kata -- run 08` passes. Run it by hand with
//   node --import tsx katas/08_zombie_orphan/orphan.ts
import { fork } from "node:child_process";
import { once } from "node:events";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORK_UNITS = 5;

// TODO: fork WORKER with WORK_UNITS (as a string) as its argument.
const worker: { pid?: number } = {};

// TODO: wait for the worker's first message: it sends one as soon as it is up.
console.log(`orphan: worker ${worker.pid} is running; leaving without waiting for it`);

// TODO: leave now. Node would otherwise wait for the worker to end.
