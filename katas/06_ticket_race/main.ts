// Kata 06: the ticket race.
//
// A ticket sale over a shared file. ticket.json holds {"count": N}, the tickets
// left. This program forks one process per buyer (buyer.ts) and opens the sale
// when all of them are ready. Each buyer searches (reads the count and prints
// it), then buys (reads the count, takes a ticket if one is left, writes the
// count back). The parent also serves the lock that the buyers share (lock.ts).
// This file is complete: your work is in buyer.ts and lock.ts. As given, the
// sale oversells; done when `npm run kata -- run 06` passes.
//
// Options: --buyers N (default 6), --file PATH (default ticket.json),
// --stock N (first write a fresh file holding N tickets), --search-units N and
// --pay-units N (how long a search and a payment take, default 2 and 1),
// --stagger-units N (each buyer searches N units longer than the one forked
// before it, default 0), --declined N (the first N buyers' first card is
// declined, default 0). Run it by hand from the repository's root:
//   node --import tsx katas/06_ticket_race/main.ts --file /tmp/ticket.json --stock 3
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { serveLock } from "./lock.ts";

const BUYER = new URL("./buyer.ts", import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    buyers: { type: "string", default: "6" },
    file: { type: "string", default: "ticket.json" },
    stock: { type: "string" },
    "search-units": { type: "string", default: "2" },
    "pay-units": { type: "string", default: "1" },
    "stagger-units": { type: "string", default: "0" },
    declined: { type: "string", default: "0" },
  },
});
const file = resolve(values.file);
if (values.stock !== undefined) writeFileSync(file, JSON.stringify({ count: Number(values.stock) }) + "\n");

const buyers = Array.from({ length: Number(values.buyers) }, (_, i) => {
  const searchUnits = Number(values["search-units"]) + i * Number(values["stagger-units"]);
  const card = i < Number(values.declined) ? ["declined"] : [];
  return fork(BUYER, [file, String(searchUnits), values["pay-units"], ...card]);
});
const ended = buyers.map(endOf);
serveLock(buyers);

// Buyers take a while to start, each at its own speed: a start signal opens the
// sale for all of them at once, as customers arriving together would.
await Promise.all(buyers.map(readyOrGone));
for (const buyer of buyers) buyer.send({ type: "go" }, () => {});

let failed = 0;
for (const [i, end] of ended.entries()) {
  const { code, signal } = await end;
  if (code === 0) continue;
  failed++;
  console.log(`main: buyer ${buyers[i].pid} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
}
const left = (JSON.parse(readFileSync(file, "utf8")) as { count: number }).count;
console.log(`main: the sale is over, ${left} left`);
if (failed > 0) process.exitCode = 1;

function endOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
}

/** Resolves when the buyer says it is ready, or when it is gone (so a crash cannot stall the sale). */
function readyOrGone(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on("message", (m: { type?: string }) => m.type === "ready" && resolve());
    child.on("exit", () => resolve());
  });
}
