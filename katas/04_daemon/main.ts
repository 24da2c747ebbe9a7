// Kata 04: a daemon child.
//
// This program starts two children, then does its own short work:
//   - a daemon child (daemon.ts) that would stand by for many units. It serves
//     only this program, so it ends as soon as the program's own work ends,
//     and it never outlives the program, even one killed by SIGKILL;
//   - an ordinary child (worker.ts) that works for a few units. The program
//     does not exit before it has finished.
// Python's Process(daemon=True) and a plain Process behave this way.
// Done when: `npm run kata -- run 04` passes. Run it by hand with
//   node --import tsx katas/04_daemon/main.ts [units of own work]
import { type ChildProcess, fork } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const OWN_WORK_UNITS = Number(process.argv[2] ?? 2);
const DAEMON = new URL("./daemon.ts", import.meta.url).pathname;
const WORKER = new URL("./worker.ts", import.meta.url).pathname;

/** Prints how a child ended, once it has: its exit code, or the signal that killed it. */
function reportEnd(name: string, child: ChildProcess | undefined): void {
  child?.on("exit", (code, signal) => console.log(`main: ${name} ended with ${signal ?? `code ${code}`}`));
}

// TODO: start the daemon child: fork DAEMON.
let daemon: ChildProcess | undefined;
// TODO: start the ordinary child: fork WORKER.
let worker: ChildProcess | undefined;
reportEnd("daemon", daemon);
reportEnd("worker", worker);

console.log(
  `main: pid ${process.pid} started daemon ${daemon?.pid} and worker ${worker?.pid}, ` +
    `working for ${OWN_WORK_UNITS} units`,
);
await sleep(OWN_WORK_UNITS * UNIT_MS);
console.log("main: own work done");

// TODO: the program's own work is over. End the daemon child now, as Python
// does with its daemon children when the main program's code ends. Leave the
// ordinary child alone: the program must not exit before it has finished.
