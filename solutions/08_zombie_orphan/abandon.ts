// Kata 08 (d): zombies whose parent is killed (reference solution).
//
// Three workers exit at once while this program's event loop is blocked, so
// they stay zombies; the program never reaps them and stays blocked until it
// is killed. Their new parent (pid 1, or a subreaper) reaps them then.
import { fork } from "node:child_process";
import { blockFor, stateOf } from "./proc_state.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORKERS = 3;
/** How often to look at the workers' states while blocked. */
const LOOK_EVERY_MS = UNIT_MS / 20;
/** Workers that have not all exited by then never will: stop waiting. */
const GIVE_UP_UNITS = 100;

const pids = Array.from({ length: WORKERS }, () => fork(WORKER, ["0"]).pid ?? 0);

// From here on the event loop never runs: libuv cannot collect any exit status.
const giveUpAt = Date.now() + GIVE_UP_UNITS * UNIT_MS;
while (pids.some((pid) => stateOf(pid) !== "zombie") && Date.now() < giveUpAt) blockFor(LOOK_EVERY_MS);
console.log(`abandon: workers ${pids.join(" ")} are ${pids.map(stateOf).join(" ")}; never reaping them`);

// Blocked for good: only a signal ends this process, and its zombies then go
// to whoever adopts them, which reaps them.
for (;;) blockFor(UNIT_MS);
