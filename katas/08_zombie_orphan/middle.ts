// Kata 08 (c): the middle process of the double fork.
//
// double_fork.ts starts this program. It forks worker.ts, waits until the worker
// says it is up, and exits at once, orphaning the worker on purpose.
// Done when: `npm run kata -- run 08` passes.
import { fork } from "node:child_process";
import { once } from "node:events";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORK_UNITS = 4;

// TODO: fork WORKER with WORK_UNITS (as a string) as its argument.
const worker: { pid?: number } = {};

// TODO: wait for the worker's first message: it sends one as soon as it is up.
console.log(`middle: started worker ${worker.pid}; exiting at once`);

// TODO: exit now, without waiting for the worker.
