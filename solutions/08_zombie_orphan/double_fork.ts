// Kata 08 (c): the double fork (reference solution).
//
// The program starts middle.ts, which starts the worker and exits at once. The
// program reaps the middle straight away, so no zombie of its own ever exists,
// and goes on with its own work while the orphaned worker does its job.
import { fork } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const MIDDLE = new URL("./middle.ts", import.meta.url).pathname;
const OWN_WORK_UNITS = 3;

const middle = fork(MIDDLE);
// The event loop is free while we await, so libuv reaps the middle the moment
// it exits, and "exit" fires: the join that leaves no zombie behind.
const [code] = await once(middle, "exit");
console.log(`double_fork: reaped middle ${middle.pid} (exit code ${code}); the worker is not mine to wait for`);

// The worker now belongs to whichever process adopted it; the program is free.
await sleep(OWN_WORK_UNITS * UNIT_MS);
console.log("double_fork: own work done");
