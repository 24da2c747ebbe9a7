// One buyer, in a process of its own (main.ts forks it): it waits for the sale
// to open, searches, then buys a ticket if one is left (shop.ts does each step;
// a buyer whose card is declined tries its next card).
//
// As given, two buyers can read the same count and both sell a ticket from it:
// the sale oversells. Done when `npm run kata -- run 06` passes.
import { writeFileSync } from "node:fs";
import { acquire, release } from "./lock.ts"; // for your TODOs below
import { buy, saleOpens, search, tryCards, visitOf } from "./shop.ts";

const visit = visitOf(process.argv.slice(2));

function writeCount(file: string, count: number): void {
  // TODO: writeFileSync() first empties the file, then writes it: a buyer who
  // reads in between finds an empty or half-written file. Write a temporary file
  // in the same folder (a name no other buyer uses) and rename() it over `file`.
  writeFileSync(file, JSON.stringify({ count }) + "\n");
}

await saleOpens();
await search(visit);
await tryCards(visit, async (card) => {
  // TODO: reading the count, paying and writing it back must be one critical
  // section: take the lock (acquire) before buy() reads the count, and give it
  // back (release) after it wrote the count, even when buy() throws (a declined
  // card): this buyer asks again for its next card. The search stays outside.
  await buy(visit, card, writeCount);
});
process.disconnect(); // lets this process exit: an open IPC channel keeps it alive
