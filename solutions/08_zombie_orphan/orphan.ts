// Kata 08 (b): leave an orphan on purpose (reference solution).
//
// The program starts a worker and exits while the worker still works. The
// kernel hands the worker to another process, which becomes its new parent.
import { fork } from "node:child_process";
import { once } from "node:events";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORK_UNITS = 5;

const worker = fork(WORKER, [String(WORK_UNITS)]);
// Wait for the worker's first message: then it is surely running as our child.
await once(worker, "message");
console.log(`orphan: worker ${worker.pid} is running; leaving without waiting for it`);

// Node would wait for a child it started, so leave on purpose. The worker is
// not killed: it is orphaned, and the kernel gives it a new parent.
process.exit(0);
