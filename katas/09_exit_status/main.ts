// Kata 09: exit status, terminate and is_alive. This file is given complete:
// it uses the functions you write in status.ts and prints what they say.
//
// Four children start at once. A sleeper is terminated: it is still alive right
// after terminate(), because a signal takes a moment to land, and gone once
// joined. The other three end in three ways: a clean exit, exit(3), and a SIGKILL.
// Done when: `npm run kata -- run 09` passes. Run it by hand with
//   node --import tsx katas/09_exit_status/main.ts
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { join } from "./join.ts";
import { exitcode, isAlive, terminate } from "./status.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const CHILD = new URL("./child.ts", import.meta.url).pathname;
/** No join waits longer than this, so that a wrong status.ts cannot hang the program. */
const JOIN_LIMIT_UNITS = 60;

const started: ChildProcess[] = [];
function start(...args: string[]): ChildProcess {
  const child = fork(CHILD, args);
  started.push(child);
  return child;
}

function report(name: string, child: ChildProcess): void {
  console.log(`${name}: pid ${child.pid} alive=${isAlive(child)} exitcode=${exitcode(child)}`);
}

// All four start together, so that their start-ups overlap. A sleeper says
// "ready" once it is up: listen for it now, before it can arrive unheard.
const sleeper = start("sleep");
const ok = start("exit", "0");
const fails = start("exit", "3");
const killed = start("sleep");
const sleeperReady = once(sleeper, "message");
const killedReady = once(killed, "message");

report("sleeper started", sleeper);
await sleeperReady;
terminate(sleeper);
report("sleeper terminated", sleeper);
await join(sleeper, JOIN_LIMIT_UNITS * UNIT_MS);
report("sleeper joined", sleeper);

await killedReady;
killed.kill("SIGKILL");
for (const [name, child] of [["ok", ok], ["fails", fails], ["killed", killed]] as const) {
  await join(child, JOIN_LIMIT_UNITS * UNIT_MS);
  report(name, child);
}

// Whatever status.ts says, leave no child behind (a kill of an ended child does nothing).
for (const child of started) child.kill("SIGKILL");
