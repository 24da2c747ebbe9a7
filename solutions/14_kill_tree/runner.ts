// Kata 14: a runner that ends a whole job at its deadline (reference solution).
//
//   runner.ts [--timeout-units N] [--grace-units N] -- <command> [args...]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
/** How often the runner looks whether the group has emptied during the grace period. */
const POLL_MS = UNIT_MS / 10;

const { values, positionals: command } = parseArgs({
  allowPositionals: true,
  options: {
    "timeout-units": { type: "string", default: "10" },
    "grace-units": { type: "string", default: "5" },
  },
});
const timeoutUnits = Number(values["timeout-units"]);
const graceUnits = Number(values["grace-units"]);
if (command.length === 0 || !(timeoutUnits >= 0) || !(graceUnits >= 0)) {
  console.error("Usage: runner.ts [--timeout-units N] [--grace-units N] -- <command> [args...]");
  process.exit(2);
}

/**
 * Sends `signal` to every process in the group `pgid`. Signal 0 sends nothing:
 * it only asks whether the group has a process left. False when it has none.
 */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    // A negative pid names a process group: every process in it gets the signal,
    // the job's workers too, even those whose parent has died.
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

// detached: the job calls setsid(), so it leads a new session and a new process
// group whose id is its pid. Its workers inherit that group; the runner is not in it.
const job = spawn(command[0], command.slice(1), { detached: true, stdio: "inherit" });
const ended = once(job, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
ended.catch((err: Error) => {
  console.error(`runner: cannot run ${command[0]}: ${err.message}`);
  process.exit(127);
});
if (job.pid !== undefined) console.log(`runner: job ${job.pid} started`);

// The timer is cancelled as soon as the job ends: left armed, it would signal
// a group that is gone, or whatever process got its id since.
const deadline = new AbortController();
const timedOut = await Promise.race([
  ended.then(() => false),
  sleep(timeoutUnits * UNIT_MS, true, { signal: deadline.signal }).catch(() => false),
]);
deadline.abort();

if (timedOut) {
  const pgid = job.pid!;
  console.log(`runner: timeout after ${timeoutUnits} units: SIGTERM to group ${pgid}`);
  signalGroup(pgid, "SIGTERM");
  // SIGTERM can be caught: give the group a grace period to clean up and end.
  // The job itself may end at once while its workers go on: wait for the group.
  const graceEnds = Date.now() + graceUnits * UNIT_MS;
  while (signalGroup(pgid, 0) && Date.now() < graceEnds) await sleep(POLL_MS);
  // SIGKILL cannot be caught or ignored: what is left of the group ends now.
  if (signalGroup(pgid, 0)) {
    console.log(`runner: grace period over: SIGKILL to group ${pgid}`);
    signalGroup(pgid, "SIGKILL");
  }
}

const [code, signal] = await ended;
console.log(`runner: job ended ${signal ? `by ${signal}` : `with code ${code}`}`);
