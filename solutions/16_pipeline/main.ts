// Kata 16: a pipeline of three processes, producer | filter | consumer
// (reference solution).
//
// Like the shell's `producer | grep '^E' | consumer`: the producer's stdout
// feeds the filter's stdin, the filter's stdout feeds the consumer's stdin.
// Those bytes flow from child to child; this process only starts the three,
// reads what the consumer prints (one line per stored record), and reports.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

const here = (file: string) => new URL(file, import.meta.url).pathname;
/** spawn() arguments that run a .ts file with this Node and its loader. */
const nodeArgs = (file: string) => [...process.execArgv, here(file)];

// A stream given in stdio is handed to the child as its file descriptor: the
// filter reads straight from the connection the producer writes into, and the
// consumer from the filter's. No byte of theirs passes through this process.
const producer = spawn(process.execPath, nodeArgs("producer.ts"), { stdio: ["ignore", "pipe", "inherit"] });
const filter = spawn(process.execPath, nodeArgs("filter.ts"), { stdio: [producer.stdout, "pipe", "inherit"] });
const consumer = spawn(process.execPath, nodeArgs("consumer.ts"), { stdio: [filter.stdout, "pipe", "inherit"] });
// Each end handed on is now held by the child too; this process lets go of
// its copies, so that only the children hold the connections between them.
producer.stdout.destroy();
filter.stdout.destroy();

const children = [["producer", producer], ["filter", filter], ["consumer", consumer]] as const;
// Listening for "exit" now loses nothing; waiting for it comes after reading.
const exits = children.map(([name, child]) => once(child, "exit").then(([code]) => ({ name, code })));

// Read first: the consumer's output is larger than a pipe holds, so it can
// only finish once someone reads it. Waiting for its exit first would wait
// for ever.
let count = 0;
let sum = 0;
for await (const line of createInterface({ input: consumer.stdout, crlfDelay: Infinity })) {
  const id = /^stored (\d+)$/.exec(line)?.[1];
  if (id === undefined) continue;
  count++;
  sum += Number(id);
}

const failed = (await Promise.all(exits)).filter((e) => e.code !== 0);
for (const e of failed) console.error(`main: the ${e.name} exited with code ${e.code}`);
if (failed.length > 0) process.exit(1);
console.log(`main: ${count} records stored, ids adding up to ${sum}`);
