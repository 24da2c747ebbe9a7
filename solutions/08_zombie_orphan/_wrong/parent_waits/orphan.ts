// Wrong on purpose: never leaves on purpose, so Node keeps the program running
// until its worker has ended: the worker is never orphaned.
import { fork } from "node:child_process";
import { once } from "node:events";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORK_UNITS = 3;

const worker = fork(WORKER, [String(WORK_UNITS)]);
await once(worker, "message");
console.log(`orphan: worker ${worker.pid} is running; leaving without waiting for it`);
