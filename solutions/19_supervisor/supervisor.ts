// Kata 19: a supervisor that restarts a crashing child, backs off, and gives up.
//
//   supervisor.ts [--max-restarts N] [--window-units W] [--stable-units S] -- <command> [args...]
//
// It runs the command as its child. When the child exits with code 0 its work
// is done, and so is the supervisor's (code 0). When it crashes (a non-zero
// code, or a signal), the supervisor starts it again after a delay: 1 unit,
// then 2, 4, 8... for each crash in a row, back to 1 after a child that ran for
// at least S units. If it has already restarted the child N times within the
// last W units, it gives up instead, and exits with code 1.
// Done when: `npm run kata -- run 19` passes. Run it by hand from the repository's root:
//   node --import tsx katas/19_supervisor/supervisor.ts -- sh -c 'sleep 1; exit 1'
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

const { values, positionals: command } = parseArgs({
  allowPositionals: true,
  options: {
    "max-restarts": { type: "string", default: "3" },
    "window-units": { type: "string", default: "10" },
    "stable-units": { type: "string", default: "5" },
  },
});
const maxRestarts = Number(values["max-restarts"]);
const windowUnits = Number(values["window-units"]);
const stableUnits = Number(values["stable-units"]);
if (command.length === 0 || !Number.isInteger(maxRestarts) || maxRestarts < 0 || !(windowUnits > 0) || !(stableUnits > 0)) {
  console.error("Usage: supervisor.ts [--max-restarts N] [--window-units W] [--stable-units S] -- <command> [args...]");
  process.exit(2);
}

/** How one run of the child ended. */
interface Run {
  pid: number | undefined;
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the start to the end of the run, in ms. */
  ranMs: number;
}

/** Starts the command once and resolves when it has ended. A command that cannot start ends with code 127. */
function runChild(): Promise<Run> {
  const startedAt = Date.now();
  const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
  if (child.pid !== undefined) console.log(`supervisor: started ${child.pid}`);
  return new Promise((resolve) => {
    const end = (code: number | null, signal: NodeJS.Signals | null) =>
      resolve({ pid: child.pid, code, signal, ranMs: Date.now() - startedAt });
    child.on("exit", end);
    child.on("error", (err) => {
      console.error(`supervisor: cannot run ${command[0]}: ${err.message}`);
      end(127, null);
    });
  });
}

/** When each restart was decided (Date.now()), oldest first: the restarts that count against the intensity. */
const restarts: number[] = [];
let delayUnits = 1;

for (;;) {
  const run = await runChild();
  const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
  // Only code 0 is a finished job. A signal leaves code null: that is a crash
  // too (an OOM killer, a kill -9), not a clean end.
  if (run.code === 0) {
    console.log(`supervisor: ${run.pid} exited with code 0: its work is done`);
    break;
  }
  // A child that ran long enough was healthy for a while: whatever broke it
  // now is a new problem, so the back-off starts again from its first step.
  if (run.ranMs >= stableUnits * UNIT_MS) delayUnits = 1;
  // Restart intensity: only the restarts within the last window count, so a
  // child that crashes now and then is restarted for ever, one that crashes
  // in a burst is not. Decided before anything is started: giving up leaves
  // nothing running.
  const now = Date.now();
  while (restarts.length > 0 && now - restarts[0] >= windowUnits * UNIT_MS) restarts.shift();
  if (restarts.length >= maxRestarts) {
    console.log(`supervisor: ${run.pid} ${how}; giving up: ${restarts.length} restarts within ${windowUnits} units`);
    // Non-zero: whoever supervises the supervisor (a shell, systemd, another
    // supervisor) learns of the failure from the exit code alone.
    process.exitCode = 1;
    break;
  }
  restarts.push(now);
  console.log(`supervisor: ${run.pid} ${how} after ${run.ranMs} ms; restarting in ${delayUnits} units`);
  await sleep(delayUnits * UNIT_MS);
  // Exponential back-off: each crash in a row waits twice as long as the one
  // before, so a child that cannot start does not spin the machine.
  delayUnits *= 2;
}
