// One buyer, in a process of its own (main.ts forks it): it waits for the sale
// to open, searches (reads the count and prints it), then buys a ticket if one
// is left. Arguments: <ticket file> <search units> <pay units>.
//
// As given, two buyers can read the same count and both sell a ticket from it:
// the sale oversells. Done when `npm run kata -- run 06` passes.
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { acquire, release } from "./lock.ts"; // for your TODOs below

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

// A search first waits searchUnits, like a slow network; a payment takes payUnits.
const [file, searchUnits = "2", payUnits = "1"] = process.argv.slice(2);
const me = `buyer ${process.pid}`;

function readCount(): number {
  return (JSON.parse(readFileSync(file, "utf8")) as { count: number }).count;
}

function writeCount(count: number): void {
  // TODO: writeFileSync() first empties the file, then writes it: a buyer who
  // reads in between finds an empty or half-written file. Write a temporary file
  // in the same folder (a name no other buyer uses) and rename() it over `file`.
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
await search();
// TODO: reading the count, paying and writing it back must be one critical
// section: take the lock (acquire) before buy() reads the count, and give it
// back (release) after it wrote the count, even if buy() throws. Searches stay
// outside the lock: they only read.
await buy();
process.disconnect(); // lets this process exit: an open IPC channel keeps it alive
