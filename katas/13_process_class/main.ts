// Kata 13: a program that forks its own module.
//
// Every child that Process.start() makes runs this file again from the top, as
// Python's spawn does: the functions and classes below are defined in every
// process. main() runs them: run() once right here, then greeters, a child
// that exits with 3, a sleeper and a victim, each in a child of its own, and
// reports each with its pid, isAlive() and exitcode.
// Your work is in process.ts, and one TODO at the bottom of this file.
// Done when: `npm run kata -- run 13` passes. Run it by hand with
//   node --import tsx katas/13_process_class/main.ts [greeters, default 2]
import { setTimeout as sleep } from "node:timers/promises";
import { Process } from "./process.ts";
import { isMainProcess } from "./spawn.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
/** How long a sleeper sleeps unless a signal ends it first. */
const SLEEP_UNITS = 600;
/** How long main.ts waits for a child to end before it reports it all the same. */
const WAIT_LIMIT_UNITS = 100;

/** A target: exported, so that a child can find it by name. */
export async function greet(who: string, kwargs: { greeting?: string } = {}): Promise<void> {
  console.log(`greet: ${kwargs.greeting ?? "hello"}, ${who}, from pid ${process.pid}`);
  await sleep(2 * UNIT_MS);
  console.log(`greet: goodbye, ${who}, from pid ${process.pid}`);
}

/** A subclass whose run() ends as Python's sys.exit(code) would; its own field, code, travels with it. */
export class Exit extends Process {
  code: number;
  constructor(code: number) {
    super({ name: `exit-${code}` });
    this.code = code;
  }
  override run(): void {
    process.exit(this.code);
  }
}

/** A subclass that sleeps until a signal ends it. */
export class Sleeper extends Process {
  override async run(): Promise<void> {
    console.log(`${this.name}: sleeping in pid ${process.pid}`);
    await sleep(SLEEP_UNITS * UNIT_MS);
  }
}

function report(p: Process, when = ""): void {
  console.log(`main: ${p.name}${when} pid ${p.pid} alive=${p.isAlive()} exitcode=${p.exitcode}`);
}

/** Whether the kernel still knows the pid: a zombie counts, a reaped child does not. */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the child is reaped, without join() and without listening to it. */
async function untilGone(p: Process): Promise<void> {
  for (let i = 0; i < WAIT_LIMIT_UNITS * 10 && p.pid !== undefined && pidExists(p.pid); i++) {
    await sleep(UNIT_MS / 10);
  }
}

/** The program: only the main process runs it. */
async function main(): Promise<void> {
  const greeters = Number(process.argv[2] ?? 2);
  if (!Number.isInteger(greeters) || greeters < 1) {
    console.error(`Usage: main.ts [greeters: a whole number >= 1, default 2], not "${process.argv[2]}"`);
    process.exit(2);
  }
  console.log(`main: pid ${process.pid}`);

  // run() called directly is an ordinary call: the target runs here.
  await new Process({ target: greet, args: ["main"], kwargs: { greeting: "hi" }, name: "inline" }).run();

  // start() runs each in a child of its own. They all start at once: the
  // greeters, one that exits with 3, and two that sleep.
  const ps = Array.from({ length: greeters }, (_, i) =>
    new Process({ target: greet, args: [`child ${i}`], kwargs: { greeting: "good day" }, name: `greeter-${i}` }));
  const three = new Exit(3);
  const sleeper = new Sleeper({ name: "sleeper" });
  const victim = new Sleeper({ name: "victim" });
  const all = [...ps, three, sleeper, victim];
  for (const p of all) p.start();

  await Promise.all(ps.map((p) => p.join()));
  for (const p of ps) report(p);

  // This one ends by itself while nobody joins it or listens to it.
  await untilGone(three);
  report(three, " gone, not joined");
  await three.join();
  console.log("main: joined exit-3");

  // join(timeout) gives up on a child that runs on; terminate() asks it to end.
  console.log(`main: joining sleeper pid ${sleeper.pid} for 3 units`);
  await sleeper.join(3 * UNIT_MS);
  report(sleeper, " after join(3 units)");
  sleeper.terminate();
  report(sleeper, " terminated");
  await sleeper.join(WAIT_LIMIT_UNITS * UNIT_MS);
  report(sleeper, " joined");

  // Whoever knows its name can signal it from outside (the tests do).
  console.log(`main: waiting for victim pid ${victim.pid}`);
  await victim.join(WAIT_LIMIT_UNITS * UNIT_MS);
  report(victim, " joined");
  // Leave nothing behind, whatever the Process class says.
  for (const p of all) {
    if (p.pid !== undefined && pidExists(p.pid)) process.kill(p.pid, "SIGKILL");
  }
}

// TODO: a child runs this file too, from the top. The definitions above are what
// it needs; were it to run main(), it would start children of its own, which
// would do the same, for ever. Run main() only in the process started by hand:
// isMainProcess() is this program's `if __name__ == "__main__":`.
void isMainProcess;
await main();
