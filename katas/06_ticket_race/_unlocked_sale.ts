// Test fixture: the ticket sale with no lock at all, the race left in on purpose.
// The tests run it to prove they catch an oversold sale. Same options and output
// as main.ts; started as `_unlocked_sale.ts buyer <file> <search units> <pay units>`
// it is a buyer.
import { fork } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

const count = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { count: number }).count;

async function buyer(file: string, searchUnits: number, payUnits: number): Promise<void> {
  const me = `buyer ${process.pid}`;
  await new Promise<void>((resolve) => {
    process.once("message", () => resolve());
    process.send!({ type: "ready" });
  });
  console.log(`${me}: searching`);
  await sleep(searchUnits * UNIT_MS);
  console.log(`${me}: sees ${count(file)} left`);
  const left = count(file);
  if (left <= 0) {
    console.log(`${me}: sold out`);
  } else {
    console.log(`${me}: paying`);
    await sleep(payUnits * UNIT_MS); // the window of the race: others read the same count meanwhile
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify({ count: left - 1 }) + "\n");
    renameSync(`${file}.${process.pid}.tmp`, file);
    console.log(`${me}: bought a ticket`);
  }
  process.disconnect();
}

async function sale(): Promise<void> {
  const { values } = parseArgs({
    options: {
      buyers: { type: "string", default: "6" },
      file: { type: "string", default: "ticket.json" },
      "search-units": { type: "string", default: "2" },
      "pay-units": { type: "string", default: "1" },
    },
  });
  const self = new URL(import.meta.url).pathname;
  const buyers = Array.from({ length: Number(values.buyers) }, () =>
    fork(self, ["buyer", values.file, values["search-units"], values["pay-units"]]));
  const ended = buyers.map((b) => new Promise((resolve) => b.on("exit", resolve)));
  await Promise.all(buyers.map((b) => new Promise((resolve) => b.once("message", resolve))));
  for (const b of buyers) b.send({ type: "go" });
  await Promise.all(ended);
  console.log(`main: the sale is over, ${count(values.file)} left`);
}

const [role, file, searchUnits, payUnits] = process.argv.slice(2);
if (role === "buyer") await buyer(file, Number(searchUnits), Number(payUnits));
else await sale();
