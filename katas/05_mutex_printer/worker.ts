// A worker: a process of its own that prepares a document, then prints it on
// the shared printer (stdout) while it holds the printer lock. It is given
// complete; the lock it uses, in printer_lock.ts, is yours to write.
//
// It needs the IPC channel of main.ts, which forks it: run main.ts, not this.
import { setTimeout as sleep } from "node:timers/promises";
import { acquirePrinter, releasePrinter } from "./printer_lock.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const id = process.argv[2] ?? "?";
const prepareUnits = Number(process.argv[3] ?? 1);
const holdUnits = Number(process.argv[4] ?? 2);

if (!process.send) throw new TypeError("Cannot run worker.ts alone: run main.ts, which forks it with an IPC channel");
const goAt = await startSignal();

console.log(`worker ${id}: preparing its document`);
await sleep(Math.max(0, goAt + prepareUnits * UNIT_MS - Date.now()));
console.log(`worker ${id}: asks for the printer`);
await acquirePrinter();
console.log(`worker ${id}: starts printing`);
await sleep(holdUnits * UNIT_MS);
console.log(`worker ${id}: done printing`);
await releasePrinter();
// Closing the channel to main lets this process end even if a listener is left on it.
process.disconnect();

/** Says it is ready, then waits for main's { kind: "go", at }; resolves with `at` (ms since the epoch). */
function startSignal(): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const go = message as { kind?: string; at?: number } | null;
      if (go?.kind !== "go") return;
      process.off("message", onMessage);
      resolve(go.at ?? Date.now());
    };
    process.on("message", onMessage);
    process.send!({ kind: "ready" });
  });
}
