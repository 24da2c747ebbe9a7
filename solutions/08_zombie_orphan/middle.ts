// Kata 08 (c): the middle process of the double fork (reference solution).
//
// It starts the worker and exits at once, so the worker is orphaned and adopted
// by another process: the program that started the middle never has to reap it.
import { fork } from "node:child_process";
import { once } from "node:events";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORK_UNITS = 4;

const worker = fork(WORKER, [String(WORK_UNITS)]);
// Once the worker has said it is up, there is nothing left for the middle to do.
await once(worker, "message");
console.log(`middle: started worker ${worker.pid}; exiting at once`);

// Node would wait for the worker (the IPC channel and the child keep the event
// loop alive), so exit on purpose: that is what orphans the worker.
process.exit(0);
