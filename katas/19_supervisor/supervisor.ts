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

// TODO: supervise. Run the child again each time it crashes, until it exits
// with code 0 (its work is done: print so, and end with code 0). Anything else
// is a crash: a non-zero code, and also a signal (then code is null).
// TODO: before each restart, wait delayUnits (1, then 2, 4, 8... for crashes in
// a row); a child that ran for at least stableUnits resets the delay to 1.
// TODO: restart intensity: if the child was already restarted maxRestarts times
// within the last windowUnits, give up instead: print a line that says so,
// start nothing more, and end with code 1.
const run = await runChild();
void sleep;
void restarts;
void delayUnits;
void maxRestarts;
void windowUnits;
void stableUnits;
console.log(`supervisor: ${run.pid} ended; no restart yet`);
