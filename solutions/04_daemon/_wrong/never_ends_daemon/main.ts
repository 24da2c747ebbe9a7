// Wrong on purpose: the program never ends its daemon child, trusting that the
// daemon dies with it. But Node waits for every forked child, daemon or not
// (the daemon's IPC channel keeps the event loop alive), so the program never
// gets to exit and the daemon outlives the program's work by far.
import { type ChildProcess, fork } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const OWN_WORK_UNITS = Number(process.argv[2] ?? 2);
const DAEMON = new URL("./daemon.ts", import.meta.url).pathname;
const WORKER = new URL("./worker.ts", import.meta.url).pathname;

function reportEnd(name: string, child: ChildProcess | undefined): void {
  child?.on("exit", (code, signal) => console.log(`main: ${name} ended with ${signal ?? `code ${code}`}`));
}

const daemon = fork(DAEMON);
const worker = fork(WORKER);
reportEnd("daemon", daemon);
reportEnd("worker", worker);

console.log(
  `main: pid ${process.pid} started daemon ${daemon.pid} and worker ${worker.pid}, ` +
    `working for ${OWN_WORK_UNITS} units`,
);
await sleep(OWN_WORK_UNITS * UNIT_MS);
console.log("main: own work done");
