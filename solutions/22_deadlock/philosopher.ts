// A philosopher: one process at the table. It eats MEALS times; to eat it
// needs both of its forks, the one on its left and the one on its right, which
// it asks main.ts's broker for (table.ts). Between meals it thinks.
// Its arguments: its number, its left fork, its right fork, and the mode.
//
// In the naive mode each philosopher takes its left fork, then its right one;
// in the ordered mode (reference solution) the lower-numbered fork first.
import { setTimeout as sleep } from "node:timers/promises";
import { joinTable, leaveTable, putDown, say, take } from "./table.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const MEALS = 2;
const EAT_UNITS = 1;
const THINK_UNITS = 1;

const [id, left, right] = process.argv.slice(2, 5).map(Number);
const mode = process.argv[5];
joinTable(id);

/** Resolves once this philosopher holds both its forks. */
async function pickUpForks(): Promise<void> {
  if (mode === "naive") {
    await take(left);
    await take(right);
    return;
  }
  // One global order for every lock: the lower-numbered fork first. A holder
  // then only ever waits for a fork numbered higher than the one it holds, so
  // a cycle of waits would need the numbers to rise all the way round and
  // come back to where they started: impossible. No circular wait can form,
  // and some philosopher can always eat.
  await take(Math.min(left, right));
  await take(Math.max(left, right));
}

for (let meal = 1; meal <= MEALS; meal++) {
  await pickUpForks();
  say(`eats (meal ${meal} of ${MEALS})`);
  await sleep(EAT_UNITS * UNIT_MS);
  await putDown(left);
  await putDown(right);
  say("thinks");
  await sleep(THINK_UNITS * UNIT_MS);
}
say("done");
leaveTable();
