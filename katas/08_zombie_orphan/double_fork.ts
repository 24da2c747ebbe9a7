// Kata 08 (c): the double fork.
//
// This program forks middle.ts, which starts the worker and exits at once. The
// program waits for the middle (a join: Node reaps it at once, so no zombie of
// the program is ever left), then goes on with its own work. The worker, now an
// orphan, does its job under another parent: it is not the program's to reap.
// Done when: `npm run kata -- run 08` passes. Run it by hand with
//   node --import tsx katas/08_zombie_orphan/double_fork.ts
import { fork } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const MIDDLE = new URL("./middle.ts", import.meta.url).pathname;
const OWN_WORK_UNITS = 3;

// TODO: fork MIDDLE (no arguments).
const middle: { pid?: number } = {};

// TODO: wait for the middle's "exit" event and keep its exit code.
const code: number | null = null;
console.log(`double_fork: reaped middle ${middle.pid} (exit code ${code}); the worker is not mine to wait for`);

await sleep(OWN_WORK_UNITS * UNIT_MS);
console.log("double_fork: own work done");
