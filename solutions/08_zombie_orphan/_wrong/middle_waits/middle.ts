// Wrong on purpose: the middle does not exit once the worker is up, so Node
// keeps it running until the worker ends: the worker is never orphaned.
import { fork } from "node:child_process";
import { once } from "node:events";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORK_UNITS = 2;

const worker = fork(WORKER, [String(WORK_UNITS)]);
await once(worker, "message");
console.log(`middle: started worker ${worker.pid}; exiting at once`);
