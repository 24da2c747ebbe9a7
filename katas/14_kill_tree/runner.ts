// Kata 14: a runner that ends a whole job at its deadline.
//
//   runner.ts [--timeout-units N] [--grace-units N] -- <command> [args...]
//
// It runs the command as a job. A job that ends in time is left alone. At the
// timeout, the runner ends the whole job, the job's own children included:
// SIGTERM to the job's process group first, then, after a grace period, SIGKILL
// to whatever is left of it. It prints a line before each signal it sends and
// one when the job has ended.
// Done when: `npm run kata -- run 14` passes. Run it by hand from the repository's root:
//   node --import tsx katas/14_kill_tree/runner.ts --timeout-units 2 -- sh katas/14_kill_tree/_support/job.sh
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
  // TODO: send `signal` to every process of the group pgid (process.kill() with
  // a negative pid names a process group). Return false when the kill fails
  // with ESRCH (no process left in the group); throw any other error.
  void pgid;
  void signal;
  return false;
}

// TODO: the job must lead a process group of its own, which its workers inherit
// and the runner is not in: spawn it detached (the child then calls setsid(),
// and its pid is its group's id and its session's).
const job = spawn(command[0], command.slice(1), { stdio: "inherit" });
const ended = once(job, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
ended.catch((err: Error) => {
  console.error(`runner: cannot run ${command[0]}: ${err.message}`);
  process.exit(127);
});
if (job.pid !== undefined) console.log(`runner: job ${job.pid} started`);

// TODO: wait for the job to end, but no longer than timeoutUnits. If it ends in
// time, do nothing more: cancel the timer, so that it cannot fire later. At the
// timeout, end the whole group, printing a line before each signal:
//   1. `runner: timeout after <timeoutUnits> units: SIGTERM to group <pgid>`,
//      then SIGTERM to the group: a polite request, which a process may catch
//      to clean up, or ignore;
//   2. wait until the group is empty, but at most graceUnits (signal 0 asks
//      without sending anything; poll every POLL_MS). The job may die at once
//      while its workers go on;
//   3. if anything is left: `runner: grace period over: SIGKILL to group <pgid>`,
//      then SIGKILL to the group, which nothing can catch or ignore.
void sleep;
void POLL_MS;
void signalGroup;

const [code, signal] = await ended;
console.log(`runner: job ended ${signal ? `by ${signal}` : `with code ${code}`}`);
