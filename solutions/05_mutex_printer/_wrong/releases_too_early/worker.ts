// Wrong on purpose: gives the printer back as soon as it starts printing. The
// printing (a timer) is scheduled but not awaited, so the release comes before
// "done printing" and the next worker prints over this one.
import { setTimeout as sleep } from "node:timers/promises";
import { acquirePrinter, releasePrinter } from "./printer_lock.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const id = process.argv[2] ?? "?";
const prepareUnits = Number(process.argv[3] ?? 1);
const holdUnits = 1 + Math.floor(Math.random() * 3);

await startSignal();
console.log(`worker ${id}: preparing its document`);
await sleep(prepareUnits * UNIT_MS);
console.log(`worker ${id}: asks for the printer`);
await acquirePrinter();
console.log(`worker ${id}: starts printing`);
setTimeout(() => console.log(`worker ${id}: done printing`), holdUnits * UNIT_MS);
await releasePrinter();
process.disconnect();

function startSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as { kind?: string } | null)?.kind !== "go") return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
    process.send!({ kind: "ready" });
  });
}
