// Kata 08 (a): make a zombie on purpose, then reap it.
//
// This program forks worker.ts, which exits at once. While the worker exits,
// the program keeps its own event loop blocked, so Node cannot collect the
// worker's exit status: the dead worker stays a zombie (state Z in ps). After
// holding it for two units, the program waits for the worker: that reaps it.
// Done when: `npm run kata -- run 08` passes. Run it by hand with
//   node --import tsx katas/08_zombie_orphan/zombie.ts
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

// TODO: fork WORKER with the argument "0" (zero units of work: it exits at once).
const worker: { pid?: number } = {};
const pid = worker.pid ?? 0;

// TODO: block the event loop while stateOf(pid) says "alive": look every
// LOOK_EVERY_MS with blockFor(), and give up after GIVE_UP_UNITS. No await here.
console.log(`zombie: worker ${pid} is ${stateOf(pid)}`);

// TODO: keep blocking for HOLD_UNITS, so that the zombie can be seen.
console.log(`zombie: worker ${pid} is still ${stateOf(pid)} after ${HOLD_UNITS} units`);

// TODO: wait for the worker's "exit" event (once() from node:events) and keep its exit code.
const code: number | null = null;
console.log(`zombie: reaped worker ${pid} (exit code ${code}), now it is ${stateOf(pid)}`);
