// Kata 04: a daemon child (reference solution).
//
// This program starts a daemon child and an ordinary child, then does its own
// short work. The daemon ends when that work ends; the program exits only
// after the ordinary child has finished.
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

// fork() gives the daemon an IPC channel to this program; daemon.ts ends when
// that channel closes, which is what makes it die with us even after SIGKILL.
const daemon = fork(DAEMON);
// An ordinary child: nothing special. Its channel keeps our event loop alive
// until it exits, so Node waits for it as Python's exit joins a plain Process.
const worker = fork(WORKER);
reportEnd("daemon", daemon);
reportEnd("worker", worker);

console.log(
  `main: pid ${process.pid} started daemon ${daemon.pid} and worker ${worker.pid}, ` +
    `working for ${OWN_WORK_UNITS} units`,
);
await sleep(OWN_WORK_UNITS * UNIT_MS);
console.log("main: own work done");

// Python terminates daemon children as soon as the main program's code ends,
// before it waits for the others. Node has no daemon flag: the daemon's open
// channel would keep this program alive until the daemon's duty ended, so we
// end it here. kill() sends SIGTERM, as Python's terminate() does.
daemon.kill();
