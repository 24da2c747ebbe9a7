// Kata 04: the program's own work, given complete; main.ts (yours) starts the
// children and calls it. It reports how each child ends, says what the program
// started, waits until both children are up, tells the worker to go, and works
// for as many units as main.ts's first argument says (2 by default). With the
// argument `crash`, the program dies by SIGKILL right after its first line
// instead, as a program that crashes at its start would.
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
/** The daemon child's program, and the ordinary child's. */
export const DAEMON = new URL("./daemon.ts", import.meta.url).pathname;
export const WORKER = new URL("./worker.ts", import.meta.url).pathname;

/** The children main.ts started (undefined while its TODOs are open). */
export interface Children {
  daemon?: ChildProcess;
  worker?: ChildProcess;
}

/** Resolves once `child` has said it is up (over IPC), or has ended. */
function up(child: ChildProcess | undefined): Promise<void> {
  if (!child) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      child.off("message", said);
      child.off("exit", done);
      resolve();
    };
    const said = (message: unknown) => message === "up" && done();
    child.on("message", said);
    child.on("exit", done);
  });
}

/**
 * Prints how each child ends and the program's first line; then, once both
 * children are up, works (or, in `crash` mode, dies at once).
 */
export async function ownWork({ daemon, worker }: Children): Promise<void> {
  for (const [name, child] of [["daemon", daemon], ["worker", worker]] as const) {
    child?.on("exit", (code, signal) => console.log(`main: ${name} ended with ${signal ?? `code ${code}`}`));
  }
  const crash = process.argv[2] === "crash";
  const units = crash ? 0 : Number(process.argv[2] ?? 2);
  console.log(
    `main: pid ${process.pid} started daemon ${daemon?.pid} and worker ${worker?.pid}, ` +
      (crash ? "and crashes at once" : `working for ${units} units`),
  );
  if (crash) process.kill(process.pid, "SIGKILL");
  await Promise.all([up(daemon), up(worker)]);
  // The worker's work and this program's begin together: the worker's is longer.
  if (worker?.connected) worker.send("go");
  await sleep(units * UNIT_MS);
  console.log("main: own work done");
}
