// One buyer, in a process of its own (main.ts forks it): it waits for the sale
// to open, searches, then buys a ticket if one is left (reference solution).
import { renameSync, writeFileSync } from "node:fs";
import { acquire, release } from "./lock.ts";
import { buy, saleOpens, search, tryCards, visitOf } from "./shop.ts";

const visit = visitOf(process.argv.slice(2));

function writeCount(file: string, count: number): void {
  // rename() swaps the name over to a complete new file in one step, so a
  // reader opens the old version or the new one, never a half-written one.
  // The temporary file sits in the same folder: rename cannot cross file systems.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ count }) + "\n");
  renameSync(temporary, file);
}

await saleOpens();
// Searches only read, so they run side by side without the lock.
await search(visit);
await tryCards(visit, async (card) => {
  // Read, decide and write back is one critical section: the lock is taken
  // before the read and given back only after the write. The finally gives it
  // back when buy() throws too; otherwise this buyer, asking again for its
  // next card, would wait behind itself, and everyone behind it for ever.
  await acquire();
  try {
    await buy(visit, card, writeCount);
  } finally {
    await release();
  }
});
process.disconnect(); // lets this process exit: an open IPC channel keeps it alive
