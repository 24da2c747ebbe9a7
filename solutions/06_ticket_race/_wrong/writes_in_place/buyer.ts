// Wrong on purpose: the lock is right, but the count is written over the file in
// place, so a buyer who searches meanwhile can read an empty file.
//
// One buyer, in a process of its own (main.ts forks it): it waits for the sale
// to open, searches (reads the count and prints it), then buys a ticket if one
// is left. Arguments: <ticket file> <search units> <pay units>.
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { acquire, release } from "./lock.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

// A search first waits searchUnits, like a slow network; a payment takes payUnits.
const [file, searchUnits = "2", payUnits = "1"] = process.argv.slice(2);
const me = `buyer ${process.pid}`;

function readCount(): number {
  return (JSON.parse(readFileSync(file, "utf8")) as { count: number }).count;
}

function writeCount(count: number): void {
  writeFileSync(file, JSON.stringify({ count }) + "\n");
}

/** Tells main.ts this buyer is ready and waits for its "go". */
function startSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string }) => {
      if (m.type !== "go") return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
    process.send!({ type: "ready" });
  });
}

async function search(): Promise<void> {
  console.log(`${me}: searching`);
  await sleep(Number(searchUnits) * UNIT_MS);
  console.log(`${me}: sees ${readCount()} left`);
}

async function buy(): Promise<void> {
  const count = readCount();
  if (count <= 0) {
    console.log(`${me}: sold out`);
    return;
  }
  console.log(`${me}: paying`);
  // The payment takes a while: any buyer who reads the count now reads one that is about to change.
  await sleep(Number(payUnits) * UNIT_MS);
  writeCount(count - 1);
  console.log(`${me}: bought a ticket`);
}

await startSignal();
// Searches only read, so they run side by side without the lock.
await search();
// Read, decide and write back is one critical section: the lock is taken before
// the read and given back only after the write, so no buyer acts on a stale count.
await acquire();
try {
  await buy();
} finally {
  await release();
}
process.disconnect(); // lets this process exit: an open IPC channel keeps it alive
