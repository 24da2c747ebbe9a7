// Kata 08 (d): zombies whose parent is killed.
//
// This program forks three workers, which exit at once, and never reaps them:
// it keeps its event loop blocked until all three are zombies, says so, and
// stays blocked until it is killed. The zombies are not lost with it: the
// kernel hands them to a new parent (pid 1, or a subreaper), which reaps them.
// Done when: `npm run kata -- run 08` passes. Run it by hand with
//   node --import tsx katas/08_zombie_orphan/abandon.ts
// and watch from another terminal: `ps -o pid,ppid,stat,args --ppid <pid>`,
// then `kill -9 <pid>`, then `ps -o pid,ppid,stat -p <worker pids>`.
import { fork } from "node:child_process";
import { blockFor, stateOf } from "./proc_state.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const WORKERS = 3;
/** How often to look at the workers' states while blocked. */
const LOOK_EVERY_MS = UNIT_MS / 20;
/** Workers that have not all exited by then never will: stop waiting. */
const GIVE_UP_UNITS = 100;

// TODO: fork WORKER WORKERS times, each with the argument "0", and keep their pids.
const pids: number[] = [];

// TODO: block the event loop (blockFor, never an await) until stateOf() says
// "zombie" for every pid, looking every LOOK_EVERY_MS; give up after GIVE_UP_UNITS.
console.log(`abandon: workers ${pids.join(" ")} are ${pids.map(stateOf).join(" ")}; never reaping them`);

// TODO: wait to be killed without ever letting the event loop run again: an
// await or a timer would let Node reap the zombies.
