// Wrong on purpose: waits with an async sleep instead of blocking the event
// loop, so Node reaps the worker the moment it exits and no zombie is ever seen.
import { fork } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { stateOf } from "./proc_state.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const LOOK_EVERY_MS = UNIT_MS / 20;
const GIVE_UP_UNITS = 40;
const HOLD_UNITS = 2;

const worker = fork(WORKER, ["0"]);
const pid = worker.pid ?? 0;
const exited = once(worker, "exit");
const giveUpAt = Date.now() + GIVE_UP_UNITS * UNIT_MS;
while (stateOf(pid) === "alive" && Date.now() < giveUpAt) await sleep(LOOK_EVERY_MS);
console.log(`zombie: worker ${pid} is ${stateOf(pid)}`);
await sleep(HOLD_UNITS * UNIT_MS);
console.log(`zombie: worker ${pid} is still ${stateOf(pid)} after ${HOLD_UNITS} units`);
const [code] = await exited;
console.log(`zombie: reaped worker ${pid} (exit code ${code}), now it is ${stateOf(pid)}`);
