// Kata 08 (a): make a zombie on purpose, then reap it (reference solution).
//
// The worker exits at once while this program's event loop is blocked, so
// nobody collects its exit status: it stays a zombie until the loop runs again.
import { fork } from "node:child_process";
import { once } from "node:events";
import { blockFor, stateOf } from "./proc_state.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WORKER = new URL("./worker.ts", import.meta.url).pathname;
/** How often to look at the worker's state while blocked. */
const LOOK_EVERY_MS = UNIT_MS / 20;
/** A worker that has not exited by then never will: stop blocking. */
const GIVE_UP_UNITS = 40;
/** How long to keep the zombie around, so that ps (or the harness) can see it. */
const HOLD_UNITS = 2;

// Zero units of work: the worker prints its first line and exits.
const worker = fork(WORKER, ["0"]);
const pid = worker.pid ?? 0;

// Only synchronous waits from here on. Node reaps a dead child (waitpid) from
// its event loop; while the loop is blocked, the exited worker stays a zombie.
const giveUpAt = Date.now() + GIVE_UP_UNITS * UNIT_MS;
while (stateOf(pid) === "alive" && Date.now() < giveUpAt) blockFor(LOOK_EVERY_MS);
console.log(`zombie: worker ${pid} is ${stateOf(pid)}`);

blockFor(HOLD_UNITS * UNIT_MS);
console.log(`zombie: worker ${pid} is still ${stateOf(pid)} after ${HOLD_UNITS} units`);

// Awaiting lets the event loop run: libuv reaps the worker, then "exit" fires.
// The listener is in place before the loop runs, so the event cannot be missed.
const [code] = await once(worker, "exit");
console.log(`zombie: reaped worker ${pid} (exit code ${code}), now it is ${stateOf(pid)}`);
